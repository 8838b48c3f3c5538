import {
  getOperationAST,
  Kind,
  parse,
  validate,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** A response path as the incremental-delivery format writes it: response keys and list indexes. */
export type ResponsePath = (string | number)[];

/** One `@defer`red fragment of an operation. */
export interface DeferredFragment {
  /** The client's label, if it gave one (sent back with each of the fragment's payloads). */
  label?: string;
  /** Where the fragment sits, as response keys from the root without list indexes; one per place a named fragment is spread. */
  paths: string[][];
  /** The fragment's own selections, which its payloads carry. */
  selectionSet: SelectionSetNode;
  /** The deferred fragment this one is nested in, if any: it is sent only after that one. */
  parent: DeferredFragment | null;
}

/** Stands in for a selection set every selection of which was deferred, so that the stage's document stays valid. */
export const placeholderKey = '__deferredPlaceholder';

const placeholder: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: placeholderKey },
  name: { kind: Kind.NAME, value: '__typename' },
};

const deferDirective = (node: { directives?: readonly DirectiveNode[] }) => node.directives?.find((d) => d.name.value === 'defer');

/**
 * Whether a `@defer` applies: `if: false` (literally, or through a variable)
 * turns it off, and the fragment is then an ordinary one.
 */
function isActive(directive: DirectiveNode, variables: Record<string, unknown>): boolean {
  const condition = directive.arguments?.find((a) => a.name.value === 'if')?.value;
  if (!condition) return true;
  if (condition.kind === Kind.BOOLEAN) return condition.value;
  if (condition.kind === Kind.VARIABLE) return variables[condition.name.value] !== false;
  return true;
}

function labelOf(directive: DirectiveNode): string | undefined {
  const label = directive.arguments?.find((a) => a.name.value === 'label')?.value;
  return label?.kind === Kind.STRING ? label.value : undefined;
}

/**
 * An operation with its `@defer`red fragments found: the document of each
 * stage of its incremental execution (the primary part, then each fragment
 * with the ones it is nested in) and the fragments themselves.
 */
export class DeferredOperation {
  /** In document order; a parent comes before the fragments nested in it. */
  readonly fragments: DeferredFragment[] = [];
  private readonly byNode = new Map<SelectionNode, DeferredFragment>();
  private inlined: DocumentNode | undefined;
  /** The document's named fragments, by name. */
  readonly fragmentDefinitions: ReadonlyMap<string, FragmentDefinitionNode>;

  constructor(
    readonly document: DocumentNode,
    readonly operation: OperationDefinitionNode,
    private readonly variables: Record<string, unknown>,
  ) {
    this.fragmentDefinitions = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    this.collect(operation.selectionSet, [], null, new Set());
  }

  /** The document of the primary part: every active deferred fragment left out. */
  primaryDocument(): DocumentNode {
    return this.stageDocument(new Set());
  }

  /** The document that fetches `fragment`: the primary part, it and the fragments it is nested in; the others left out. */
  documentFor(fragment: DeferredFragment): DocumentNode {
    const included = new Set<DeferredFragment>();
    for (let f: DeferredFragment | null = fragment; f; f = f.parent) included.add(f);
    return this.stageDocument(included);
  }

  /** The whole operation at once, every `@defer` dropped: for clients that do not take incremental delivery. */
  inlinedDocument(): DocumentNode {
    return (this.inlined ??= this.stageDocument(new Set(this.fragments), true));
  }

  /**
   * Whether it can be delivered in parts: a query (a mutation's stages would run it again) with an
   * active deferred fragment, valid once inlined (the schema has no @defer to validate it as sent).
   * Otherwise it runs whole, as `inlinedDocument()`.
   */
  deliversIncrementally(schema: GraphQLSchema): boolean {
    return this.fragments.length > 0 && this.operation.operation === 'query' && validate(schema, this.inlinedDocument()).length === 0;
  }

  private collect(selectionSet: SelectionSetNode, path: string[], parent: DeferredFragment | null, spreading: Set<string>): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.selectionSet) this.collect(selection.selectionSet, [...path, selection.alias?.value ?? selection.name.value], parent, spreading);
        continue;
      }
      let inner: SelectionSetNode;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const definition = this.fragmentDefinitions.get(selection.name.value);
        // Validation refuses unknown and cyclic spreads; this only keeps a bad document from looping here.
        if (!definition || spreading.has(selection.name.value)) continue;
        inner = definition.selectionSet;
        spreading = new Set(spreading).add(selection.name.value);
      } else {
        inner = selection.selectionSet;
      }
      let enclosing = parent;
      const directive = deferDirective(selection);
      if (directive && isActive(directive, this.variables)) {
        let fragment = this.byNode.get(selection);
        if (!fragment) {
          fragment = { label: labelOf(directive), paths: [], selectionSet: inner, parent };
          this.byNode.set(selection, fragment);
          this.fragments.push(fragment);
        }
        fragment.paths.push(path);
        enclosing = fragment;
      }
      this.collect(inner, path, enclosing, spreading);
    }
  }

  /**
   * The document with the deferred fragments in `included` kept as plain
   * fragments and the others removed, then the fragment definitions and
   * variable definitions nothing uses any more dropped, as validation demands.
   */
  private stageDocument(included: Set<DeferredFragment>, all = false): DocumentNode {
    const withoutDefer = <T extends InlineFragmentNode | FragmentSpreadNode>(node: T): T => ({
      ...node,
      directives: node.directives?.filter((d) => d.name.value !== 'defer'),
    });
    const staged = visit(this.document, {
      InlineFragment: (node) => (this.keep(node, included, all) ? withoutDefer(node) : null),
      FragmentSpread: (node) => (this.keep(node, included, all) ? withoutDefer(node) : null),
      SelectionSet: {
        leave: (node) => (node.selections.length === 0 ? { ...node, selections: [placeholder] } : undefined),
      },
    });
    return pruneUnused(staged, this.operation.name?.value);
  }

  /** Whether a fragment stays in a stage's document: not deferred, or deferred and fetched in this stage. */
  private keep(node: InlineFragmentNode | FragmentSpreadNode, included: Set<DeferredFragment>, all: boolean): boolean {
    const fragment = this.byNode.get(node);
    return all || !fragment || included.has(fragment);
  }
}

/**
 * Keeps the chosen operation only, the fragment definitions it still
 * spreads and the variable definitions it still uses.
 */
function pruneUnused(document: DocumentNode, operationName: string | undefined): DocumentNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => o.name?.value === operationName) ?? operations[0]!;
  const definitions = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const scan = (node: OperationDefinitionNode['selectionSet'] | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (usedFragments.has(name)) return;
        usedFragments.add(name);
        const definition = definitions.get(name);
        if (definition) scan(definition);
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  scan(operation.selectionSet);
  for (const directive of operation.directives ?? []) visit(directive, { Variable: (v) => void usedVariables.add(v.name.value) });
  const kept: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: operation.variableDefinitions?.filter((v) => usedVariables.has(v.variable.name.value)),
  };
  return { ...document, definitions: [kept, ...[...definitions.values()].filter((d) => usedFragments.has(d.name.value))] };
}

/** What a request asks: its document's text, variables and operation name. */
export interface OperationParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * The operation `params` asks for, when its document mentions @defer; null
 * when it does not (or does not parse, or names no operation), for the
 * ordinary path to answer as it always does.
 */
export function deferredOperationOf(params: OperationParams): DeferredOperation | null {
  // Most documents never mention it: no parse for them.
  if (!params.query.includes('@defer')) return null;
  let document: DocumentNode;
  try {
    document = parse(params.query);
  } catch {
    return null;
  }
  const operation = getOperationAST(document, params.operationName ?? undefined);
  if (!operation) return null;
  // Even with none active (`if: false`): the directive must still come out before Apollo, which does not know it.
  return new DeferredOperation(document, operation, params.variables ?? {});
}
