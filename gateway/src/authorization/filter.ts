import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuthorizationRules, Caller } from './rules';

/**
 * A response path as Apollo Router reports a removed selection: response
 * keys, `@` for every list level, and `... on T` for a fragment on a type the
 * caller may not see.
 */
export type RemovedPath = readonly string[];

export type FilterResult =
  /** Nothing in the operation needs removing: run it as sent. */
  | { kind: 'unchanged' }
  /** Everything was removed: answer with the errors alone. */
  | { kind: 'empty'; removed: RemovedPath[] }
  /** Run `operation` (one operation, fragments inlined) instead of the one sent. */
  | { kind: 'filtered'; document: DocumentNode; operation: OperationDefinitionNode; removed: RemovedPath[] };

const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** `@` once per list level of the field's type, so list items share one path. */
function listMarkers(type: GraphQLOutputType): string[] {
  const markers: string[] = [];
  for (let current = getNullableType(type); isListType(current); current = getNullableType(current.ofType)) markers.push('@');
  return markers;
}

/**
 * Removes from the chosen operation every field and fragment `caller` may not
 * see, as Apollo Router does before planning: a field whose own directives or
 * whose type's directives the caller does not meet, and a fragment on such a
 * type. (Composition copies an implementation's requirements onto its
 * interfaces, so an interface field is as guarded as its strictest
 * implementation.) A selection left with nothing selects `__typename` instead,
 * so its object still arrives and the removed fields in it can be answered
 * with null. Where Router leaves out the fields of an object whose fragment it
 * removed, they are null here too (see complete.ts): a polymorphic list may
 * lose more than under Router, never less. `document` must be valid against
 * `schema`.
 */
export function filterOperation(
  schema: GraphQLSchema,
  rules: AuthorizationRules,
  document: DocumentNode,
  operationName: string | null | undefined,
  caller: Caller,
): FilterResult {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { kind: 'unchanged' };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const removed: RemovedPath[] = [];

  const filterSelections = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, path: readonly string[]): SelectionNode[] => {
    const kept: SelectionNode[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = selection.name.value;
        const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[field] : undefined;
        // __typename and introspection fields have no definition here and are never restricted.
        if (!definition) {
          kept.push(selection);
          continue;
        }
        const key = selection.alias?.value ?? field;
        const type = getNamedType(definition.type);
        if (!rules.allowsField(parent.name, field, caller) || !rules.allowsType(type.name, caller)) {
          removed.push([...path, key]);
          continue;
        }
        if (!selection.selectionSet || !isCompositeType(type)) {
          kept.push(selection);
          continue;
        }
        const inner = filterSelections(selection.selectionSet, type, [...path, key, ...listMarkers(definition.type)]);
        kept.push({ ...selection, selectionSet: { ...selection.selectionSet, selections: inner.length > 0 ? inner : [typename] } });
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
      if (!condition || !isCompositeType(condition)) continue;
      if (!rules.allowsType(condition.name, caller)) {
        removed.push([...path, `... on ${condition.name}`]);
        continue;
      }
      const inner = filterSelections(fragment.selectionSet, condition, path);
      // Spreads become inline fragments: the filtered operation travels without fragment definitions.
      if (inner.length > 0) {
        kept.push({
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: selection.directives,
          selectionSet: { kind: Kind.SELECTION_SET, selections: inner },
        });
      }
    }
    // Where the concrete type is decided at run time, answering a removed field needs to know it.
    if (isAbstractType(parent) && kept.length > 0) kept.unshift(typename);
    return kept;
  };

  const selections = filterSelections(operation.selectionSet, root, []);
  if (removed.length === 0) return { kind: 'unchanged' };
  if (selections.length === 0) return { kind: 'empty', removed };
  const used = new Set<string>();
  visit({ ...operation, variableDefinitions: [], selectionSet: { kind: Kind.SELECTION_SET, selections } }, {
    Variable: (node) => void used.add(node.name.value),
  });
  const filtered: OperationDefinitionNode = {
    ...operation,
    // A variable only the removed fields used would fail validation further on.
    variableDefinitions: operation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)),
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  return { kind: 'filtered', document: { kind: Kind.DOCUMENT, definitions: [filtered] }, operation: filtered, removed };
}
