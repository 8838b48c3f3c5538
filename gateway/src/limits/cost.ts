import {
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isRecord } from '@commerce/service-kit';
import { isIntrospection } from './measure';

/** How many items a list is taken to hold when nothing in the request says (docs/limits.md). */
export const assumedListSize = 10;

/** `first` as the request sets it (literally, by a variable, or by the variable's default), else the argument's own default. */
function firstOf(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, operation: OperationDefinitionNode, variables: unknown): number | undefined {
  const argument = field.arguments?.find((arg) => arg.name.value === 'first');
  let value: unknown;
  if (argument?.value.kind === Kind.VARIABLE) {
    const name = argument.value.name.value;
    const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    value = isRecord(variables) && variables[name] !== undefined ? variables[name] : fallback && valueFromASTUntyped(fallback);
  } else if (argument) {
    value = valueFromASTUntyped(argument.value);
  } else {
    value = definition?.args.find((arg) => arg.name === 'first')?.defaultValue;
  }
  // A negative size must not subtract from the estimate.
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : undefined;
}

/**
 * The cost estimate operation limits compare, before anything runs: every
 * field costs 1 for each time it may be resolved. A list multiplies what is
 * selected under it by its `first` argument, or by `assumedListSize`. When
 * a field that takes `first` returns one object (a connection), the lists
 * directly in it (`edges`) hold that page: `first` items each. Introspection
 * costs nothing.
 */
export function estimateCost(document: DocumentNode, schema: GraphQLSchema, variables: unknown): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let highest = 0;

  for (const operation of document.definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
    // Per operation: a variable's default, which `first` may use, belongs to the operation.
    const known = new Map<string, number>();
    const visiting = new Set<string>();

    const spread = (name: string, page: number | undefined): number => {
      const key = `${name}:${page}`;
      const cached = known.get(key);
      if (cached !== undefined) return cached;
      const fragment = fragments.get(name);
      // An unknown fragment or a cycle: validation refuses the document later.
      if (!fragment || visiting.has(key)) return 0;
      visiting.add(key);
      const value = costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), page);
      visiting.delete(key);
      known.set(key, value);
      return value;
    };

    /** `page`: the size of the lists in this selection, when it is a connection's. */
    const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, page: number | undefined): number => {
      let total = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          total += spread(selection.name.value, page);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          total += costOf(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, page);
        } else if (!isIntrospection(selection.name.value)) {
          total += 1 + fieldCost(selection, parent, page);
        }
      }
      return total;
    };

    /** What the field's selection costs, times how often it may be resolved. */
    const fieldCost = (field: FieldNode, parent: GraphQLNamedType | undefined, page: number | undefined): number => {
      if (!field.selectionSet) return 0;
      const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[field.name.value] : undefined;
      const list = definition !== undefined && isListType(getNullableType(definition.type));
      const pages = definition ? definition.args.some((arg) => arg.name === 'first') : field.arguments?.some((arg) => arg.name.value === 'first');
      const type = definition ? getNamedType(definition.type) : undefined;
      const first = pages ? (firstOf(field, definition, operation, variables) ?? assumedListSize) : undefined;
      if (first !== undefined && !list) return costOf(field.selectionSet, type, first);
      return (list ? (first ?? page ?? assumedListSize) : 1) * costOf(field.selectionSet, type, undefined);
    };

    highest = Math.max(highest, costOf(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, undefined));
  }
  return highest;
}
