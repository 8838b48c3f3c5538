import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { placeholderKey, type DeferredFragment, type DeferredOperation, type ResponsePath } from './deferred-fragments';

/** One execution's result as a client would receive it whole. */
export interface StageResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Runs one stage's document as the operation it stands for (same variables, caller and admission), answering its result. */
export type RunStage = (document: DocumentNode) => Promise<StageResult>;

/** The first result of an incremental response: the primary part. */
export interface InitialIncrementalResult extends StageResult {
  hasNext: boolean;
}

/** One deferred fragment at one place in the response; `data` null when its stage failed whole. */
export interface IncrementalEntry {
  data: Record<string, unknown> | null;
  path: ResponsePath;
  label?: string;
  errors?: readonly GraphQLFormattedError[];
}

/** Each result after the first: the fragments that completed since. */
export interface SubsequentIncrementalResult {
  incremental?: IncrementalEntry[];
  hasNext: boolean;
}

/** The results of one operation delivered incrementally (the 2022-08-24 format Apollo Client and urql read). */
export type IncrementalResult = InitialIncrementalResult | SubsequentIncrementalResult;

/**
 * The results of an operation with deferred fragments: `primary` (the
 * primary part's result, already run so that a failed one can be answered
 * whole) first, then each deferred fragment as soon as its stage is done,
 * a nested fragment only after the one it is nested in. Each fragment's
 * stage runs the primary part with that fragment (and its parents), so it
 * starts at once; the stages share the subgraph answers (FetchReplay), so
 * the primary part's fetches are not made again.
 */
export async function* deliverIncrementally(operation: DeferredOperation, primary: StageResult, runStage: RunStage): AsyncGenerator<IncrementalResult> {
  type Done = { fragment: DeferredFragment; result: StageResult };
  const pending = new Map<DeferredFragment, Promise<Done>>();
  const start = (parent: DeferredFragment | null) => {
    for (const fragment of operation.fragments.filter((f) => f.parent === parent)) {
      pending.set(
        fragment,
        runStage(operation.documentFor(fragment)).then(
          (result) => ({ fragment, result }),
          // The stream is already open: the failure goes out as the fragment's error, never as a cut-off response.
          (): Done => ({ fragment, result: { data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }),
        ),
      );
    }
  };
  const seen = new Set((primary.errors ?? []).map((e) => JSON.stringify(e)));

  start(null);
  const data = withoutPlaceholders(primary.data ?? null) as Record<string, unknown> | null;
  yield { ...(primary.errors?.length ? { errors: primary.errors } : {}), data, hasNext: data !== null && pending.size > 0 };
  if (data === null) return;

  while (pending.size > 0) {
    const { fragment, result } = await Promise.race(pending.values());
    pending.delete(fragment);
    const entries = entriesOf(operation, fragment, result, data, seen);
    // A fragment nested in one that failed whole has nowhere to go.
    if (entries.some((entry) => entry.data !== null)) start(fragment);
    if (entries.length > 0) yield { incremental: entries, hasNext: pending.size > 0 };
    else if (pending.size === 0) yield { hasNext: false };
  }
}

/**
 * Where a fragment landed in its stage's result: one entry per object at its
 * paths (every item of a list on the way), with the fragment's own fields;
 * nothing where the object is null (its parent failed, and said so). Errors
 * the stage met that earlier results did not carry go with the entry whose
 * path they fall under, or with the first.
 */
function entriesOf(
  operation: DeferredOperation,
  fragment: DeferredFragment,
  result: StageResult,
  primary: Record<string, unknown>,
  seen: Set<string>,
): IncrementalEntry[] {
  const fresh = (result.errors ?? []).filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const entries: IncrementalEntry[] = [];
  // A stage that failed whole (no data) reports at the places the fragment has in the primary part.
  const failed = !result.data;
  for (const path of fragment.paths) {
    for (const [at, value] of objectsAt(result.data ?? primary, path, [])) {
      const entry: IncrementalEntry = { data: failed ? null : project(value, fragment.selectionSet, operation.fragmentDefinitions), path: at };
      if (fragment.label !== undefined) entry.label = fragment.label;
      entries.push(entry);
    }
  }
  for (const error of fresh) {
    const owner = entries.find((e) => error.path && e.path.every((step, i) => error.path![i] === step)) ?? entries[0];
    if (owner) owner.errors = [...(owner.errors ?? []), error];
  }
  return entries;
}

function* objectsAt(value: unknown, path: string[], at: ResponsePath): Generator<[ResponsePath, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* objectsAt(item, path, [...at, i]);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const [head, ...rest] = path;
  if (head === undefined) yield [at, value as Record<string, unknown>];
  else yield* objectsAt((value as Record<string, unknown>)[head], rest, [...at, head]);
}

/** The fields of `value` that `selectionSet` selects (through its fragments), whole. */
function project(value: Record<string, unknown>, selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const take = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (key in value) out[key] = withoutPlaceholders(value[key]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        take(selection.selectionSet);
      } else {
        const definition = fragments.get(selection.name.value);
        if (definition) take(definition.selectionSet);
      }
    }
  };
  take(selectionSet);
  return out;
}

/** The stages' stand-ins for selection sets left empty by deferring removed. */
function withoutPlaceholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (key !== placeholderKey) out[key] = withoutPlaceholders(inner);
  return out;
}
