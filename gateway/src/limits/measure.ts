import { Kind, visit, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** The shape of a document, before it is validated: what operation limits compare. */
export interface DocumentShape {
  /** The deepest operation's nesting of fields. */
  depth: number;
  aliases: number;
  /** The most fields at the root of one operation. */
  rootFields: number;
  directives: number;
}

/** Introspection (`__schema`, `__type`, `__typename`) is answered by the gateway itself and is off in production. */
export const isIntrospection = (name: string): boolean => name.startsWith('__');

/**
 * Folds selection sets through fragments, each fragment computed once (a
 * document may spread one fragment many times, nested, to multiply work).
 * The document is not validated yet, so a fragment cycle counts as nothing
 * and validation refuses it later.
 */
function fragmentFold(document: DocumentNode, fold: (set: SelectionSetNode, spread: (name: string) => number) => number) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const known = new Map<string, number>();
  const visiting = new Set<string>();
  const spread = (name: string): number => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return 0;
    visiting.add(name);
    const value = fold(fragment.selectionSet, spread);
    visiting.delete(name);
    known.set(name, value);
    return value;
  };
  return (set: SelectionSetNode) => fold(set, spread);
}

function depthOf(set: SelectionSetNode, spread: (name: string) => number): number {
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!isIntrospection(selection.name.value)) deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, spread) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, spread));
    } else {
      deepest = Math.max(deepest, spread(selection.name.value));
    }
  }
  return deepest;
}

function fieldsOf(set: SelectionSetNode, spread: (name: string) => number): number {
  let fields = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) fields++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields += fieldsOf(selection.selectionSet, spread);
    else fields += spread(selection.name.value);
  }
  return fields;
}

export function measureDocument(document: DocumentNode): DocumentShape {
  const depth = fragmentFold(document, depthOf);
  const rootFields = fragmentFold(document, fieldsOf);
  const shape: DocumentShape = { depth: 0, aliases: 0, rootFields: 0, directives: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    shape.depth = Math.max(shape.depth, depth(definition.selectionSet));
    shape.rootFields = Math.max(shape.rootFields, rootFields(definition.selectionSet));
  }
  // Counted as written: a fragment spread many times multiplies work, which depth and cost measure.
  visit(document, {
    Field: (field) => void (field.alias && shape.aliases++),
    Directive: () => void shape.directives++,
  });
  return shape;
}
