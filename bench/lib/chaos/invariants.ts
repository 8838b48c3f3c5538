/** One checked property of the run: it holds when `failures` is empty; each failure names its example (an order, a subscriber, a queue). */
export interface Invariant {
  name: string;
  /** What was checked, with the counts behind it, for the report. */
  checked: string;
  failures: string[];
}

export function invariant(name: string, checked: string, failures: string[]): Invariant {
  return { name, checked, failures };
}

export const holds = (invariants: Invariant[]) => invariants.every((item) => item.failures.length === 0);

/** A failure line for the summary: the invariant, how many broke it, and a few examples. */
export function describeFailure(item: Invariant, examples = 5): string {
  const shown = item.failures.slice(0, examples).map((failure) => `    - ${failure}`);
  const more = item.failures.length > examples ? [`    - … and ${item.failures.length - examples} more`] : [];
  return [`  ✗ ${item.name}: ${item.failures.length} failure(s) (${item.checked})`, ...shown, ...more].join('\n');
}
