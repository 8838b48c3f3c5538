/**
 * Doubling benchmarks' verdict: between consecutive steps, how each cost
 * grew against how the work grew. A cost per unit (per delivery, per
 * connection) that rises by more than `superlinearFactor` from one step to
 * the next is a superlinear step, marked so that it cannot be missed.
 */
export const superlinearFactor = 1.5;

export interface GrowthStep {
  /** The doubled quantity at this step (orders, subscribers, events per second). */
  units: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU per unit of work (e.g. per delivery), in µs. */
  cpuPerUnitMicros: number;
  /** Memory per unit (e.g. per idle connection), in KB; null when not measurable at this size. */
  memoryPerUnitKb: number | null;
}

const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');

/** Per step after the first: growth factors of the work, the latencies and the per-unit costs, and whether any per-unit cost grew past the limit. */
export function growthFactors(steps: GrowthStep[]): { cells: string[]; superlinear: string[] }[] {
  return steps.map((step, i) => {
    if (i === 0) return { cells: ['', '', '', '', ''], superlinear: [] };
    const previous = steps[i - 1]!;
    const work = step.units / previous.units;
    const cpu = step.cpuPerUnitMicros / previous.cpuPerUnitMicros;
    const memory = step.memoryPerUnitKb !== null && previous.memoryPerUnitKb !== null ? step.memoryPerUnitKb / previous.memoryPerUnitKb : NaN;
    // Latency per unit of work: p99 growing faster than the work itself.
    const p99PerUnit = step.p99Ms / previous.p99Ms / work;
    const superlinear = [
      ...(cpu > superlinearFactor ? [`CPU per unit ${times(cpu)}`] : []),
      ...(memory > superlinearFactor ? [`memory per unit ${times(memory)}`] : []),
      ...(p99PerUnit > superlinearFactor ? [`p99 per unit ${times(p99PerUnit)}`] : []),
    ];
    return { cells: [times(work), times(step.p50Ms / previous.p50Ms), times(step.p99Ms / previous.p99Ms), times(cpu), times(memory)], superlinear };
  });
}

/** A markdown table of the steps with their growth factors; `unitName` heads the first column. */
export function growthTable(unitName: string, steps: GrowthStep[]): string[] {
  const factors = growthFactors(steps);
  const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
  return [
    `| ${unitName} | × | p50 | × | p99 | × | CPU / unit | × | memory / unit | × | superlinear? |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...steps.map((step, i) => {
      const [work, p50, p99, cpu, memory] = factors[i]!.cells;
      const flag = factors[i]!.superlinear.length > 0 ? `⚠ SUPERLINEAR: ${factors[i]!.superlinear.join(', ')}` : i === 0 ? '' : 'no';
      const memoryCell = step.memoryPerUnitKb === null ? 'not measurable' : `${step.memoryPerUnitKb.toFixed(1)} KB`;
      return `| ${step.units} | ${work} | ${ms(step.p50Ms)} | ${p50} | ${ms(step.p99Ms)} | ${p99} | ${step.cpuPerUnitMicros.toFixed(1)} µs | ${cpu} | ${memoryCell} | ${memory} | ${flag} |`;
    }),
    '',
    `A step is superlinear when a cost per unit (CPU per unit, memory per unit, or p99 divided by the work) grew more than ${superlinearFactor}× from the step before; 1.00× is linear.`,
  ];
}
