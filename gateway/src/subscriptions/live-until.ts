import { Kind, getOperationAST, print, type DocumentNode, type FieldNode, type FormattedExecutionResult } from 'graphql';
import type { LiveUntil } from './live-fields';

/** Where the watched field rides in each resolution; names starting with `__` are GraphQL's own, so no client selection uses it. */
const watchedAlias = '__liveUntil';

/** A resolution as every subscriber receives it, and whether it ends the stream. */
export interface LiveResult {
  result: FormattedExecutionResult;
  final: boolean;
  /** Which change of its channel's sequence the result shows, when the owning subgraph said. */
  sequence?: number;
}

/**
 * A live field's `@liveUntil`, applied: the field it watches is added to the
 * subscription's selection (under an alias of its own, so the client need
 * not select it), read from each resolution and taken out again before the
 * result reaches anyone.
 */
export class UntilWatch {
  private constructor(
    private readonly until: LiveUntil,
    private readonly responseKey: string,
    /** The document the gateway plans and resolves, the watched field added. */
    readonly document: DocumentNode,
    readonly source: string,
  ) {}

  /** Null when the field has no `@liveUntil` (its stream ends only when the client leaves). */
  static of(until: LiveUntil | null, document: DocumentNode, operationName: string | undefined, responseKey: string): UntilWatch | null {
    if (!until) return null;
    const operation = getOperationAST(document, operationName);
    const root = operation?.selectionSet.selections.find((selection): selection is FieldNode => selection.kind === Kind.FIELD);
    if (!operation || !root?.selectionSet) return null;
    const watched: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: watchedAlias }, name: { kind: Kind.NAME, value: until.field } };
    const field: FieldNode = { ...root, selectionSet: { ...root.selectionSet, selections: [...root.selectionSet.selections, watched] } };
    const selectionSet = { ...operation.selectionSet, selections: operation.selectionSet.selections.map((s) => (s === root ? field : s)) };
    const watchedDocument: DocumentNode = {
      ...document,
      definitions: document.definitions.map((definition) => (definition === operation ? { ...operation, selectionSet } : definition)),
    };
    return new UntilWatch(until, responseKey, watchedDocument, print(watchedDocument));
  }

  /** The result without the watched field, and whether its value is one that ends the stream. */
  read(result: FormattedExecutionResult): LiveResult {
    const value = result.data?.[this.responseKey];
    if (typeof value !== 'object' || value === null || !(watchedAlias in value)) return { result, final: false };
    const { [watchedAlias]: watched, ...selected } = value as Record<string, unknown>;
    return {
      result: { ...result, data: { ...result.data, [this.responseKey]: selected } },
      final: watched !== null && watched !== undefined && this.until.values.has(String(watched)),
    };
  }
}
