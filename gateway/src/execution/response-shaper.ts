import {
  assert,
  ERRORS,
  isCompositeType,
  isSubtype,
  isValidLeafValue,
  typenameFieldName,
  Variable,
  type CompositeType,
  type Directive,
  type EnumType,
  type ScalarType,
  type NamedType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

// Read once: a named import of @apollo/federation-internals compiles to a getter call per use (its
// index re-exports every module), which the per-value paths below would pay millions of times.
const check: typeof assert = assert;
const validLeaf = isValidLeafValue;
const typenameKey = typenameFieldName;

/** Subgraph answers and the trees merged from them: untyped JSON, read and written by key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonTree = any;

/**
 * The operation's shape, read once per query plan from @apollo/federation-internals' Operation, so
 * that shaping a response walks plain objects instead of calling that model's getters (which
 * @apollo/gateway's computeResponse does for every value of every response).
 */
/** A constant, or a variable with the directive's text (for the error Apollo would report). */
type Condition = boolean | { variable: string; directive: string };

interface Conditions {
  /** `@skip(if:)`: a constant or a variable's name. */
  skip?: Condition;
  /** `@include(if:)`. */
  include?: Condition;
}

interface FieldShape extends Conditions {
  kind: 'field';
  responseName: string;
  isTypename: boolean;
  type: Type;
  selectionSet?: SelectionShape[];
}

interface FragmentShape extends Conditions {
  kind: 'fragment';
  typeCondition?: CompositeType;
  selectionSet: SelectionShape[];
  /** Whether the type condition applies, by the object's __typename (or the parent type's name when it has none). */
  applies: Map<string, boolean>;
}

type SelectionShape = FieldShape | FragmentShape;

export interface OperationShape {
  schema: Schema;
  rootType: CompositeType;
  selectionSet: SelectionShape[];
  defaultedVariables: Record<string, unknown>;
}

/** Why an operation cannot be shaped here (then @apollo/gateway's executor runs it), or its shape. */
export type ShapeResult = { shape: OperationShape } | { unsupported: string };

class Unsupported extends Error {}

function conditionOf(directive: Directive<JsonTree> | undefined): Condition | undefined {
  if (!directive) return undefined;
  const value = (directive.arguments() as { if?: unknown }).if;
  if (value instanceof Variable) return { variable: value.name, directive: directive.toString() };
  if (typeof value === 'boolean') return value;
  throw new Unsupported(`@${directive.name}(if:) is neither a variable nor a boolean`);
}

function compileSelectionSet(schema: Schema, selectionSet: SelectionSet, compiled: Map<SelectionSet, SelectionShape[]>): SelectionShape[] {
  const known = compiled.get(selectionSet);
  if (known) return known;
  const shapes: SelectionShape[] = [];
  compiled.set(selectionSet, shapes);
  for (const selection of selectionSet.selections()) {
    const element = selection.element;
    const conditions: Conditions = {
      skip: conditionOf(element.appliedDirectivesOf(schema.skipDirective())[0]),
      include: conditionOf(element.appliedDirectivesOf(schema.includeDirective())[0]),
    };
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      if (field.definition.isSchemaIntrospectionField()) throw new Unsupported('introspection');
      const responseName = field.responseName();
      // Output objects are plain objects: a name their prototype has would read as present.
      if (responseName in Object.prototype) throw new Unsupported(`response name ${responseName}`);
      shapes.push({
        kind: 'field',
        ...conditions,
        responseName,
        isTypename: field.name === typenameFieldName,
        type: field.definition.type!,
        selectionSet: selection.selectionSet ? compileSelectionSet(schema, selection.selectionSet, compiled) : undefined,
      });
    } else {
      shapes.push({
        kind: 'fragment',
        ...conditions,
        typeCondition: selection.element.typeCondition,
        selectionSet: compileSelectionSet(schema, selection.selectionSet, compiled),
        applies: new Map(),
      });
    }
  }
  return shapes;
}

export function compileOperationShape(operation: Operation): ShapeResult {
  try {
    const schema = operation.schema();
    const rootType = schema.schemaDefinition.rootType(operation.rootKind);
    if (!rootType) return { unsupported: `no ${operation.rootKind} root type` };
    return {
      shape: {
        schema,
        rootType,
        selectionSet: compileSelectionSet(schema, operation.selectionSet, new Map()),
        defaultedVariables: operation.collectDefaultedVariableValues(),
      },
    };
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
}

/** One shaping's state; `invalid` and `hasErrors` are the flags of the last `updateOutputValue`. */
interface Shaping {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  invalid: boolean;
  hasErrors: boolean;
}

type Path = (string | number)[];

const OK = 0;
const NULL_BUBBLE_UP = 1;

function conditionValue(condition: Condition, variables: Record<string, unknown>): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[condition.variable];
  check(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${String(value)} for variable $${condition.variable} of ${condition.directive}`);
  return value;
}

function skipped(selection: Conditions, variables: Record<string, unknown>): boolean {
  return (
    (selection.skip !== undefined && conditionValue(selection.skip, variables)) ||
    (selection.include !== undefined && !conditionValue(selection.include, variables))
  );
}

function fragmentApplies(schema: Schema, fragment: FragmentShape, typename: string | undefined, parentType: CompositeType): boolean {
  const typeCondition = fragment.typeCondition;
  if (!typeCondition) return true;
  // A typename and a parent type's name never collide as keys: the parent type is used only without a typename.
  const key = typename ? `t${typename}` : `p${parentType.name}`;
  let applies = fragment.applies.get(key);
  if (applies === undefined) {
    if (typename) {
      const type = schema.type(typename);
      applies = !!type && isSubtype(typeCondition, type);
    } else {
      applies = isSubtype(typeCondition, parentType);
    }
    fragment.applies.set(key, applies);
  }
  return applies;
}

function pathLastElementDescription(path: Path, currentType: Type, parentType: NamedType): string {
  const element = path[path.length - 1];
  check(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

/** @apollo/gateway's resultShaping applySelectionSet, over the precompiled shape. */
function applySelectionSet(
  input: Record<string, JsonTree>,
  selectionSet: SelectionShape[],
  output: Record<string, JsonTree>,
  state: Shaping,
  path: Path,
  parentType: CompositeType,
): number {
  for (let i = 0; i < selectionSet.length; i += 1) {
    const selection = selectionSet[i]!;
    if ((selection.skip !== undefined || selection.include !== undefined) && skipped(selection, state.variables)) continue;
    if (selection.kind === 'field') {
      const responseName = selection.responseName;
      const outputValue = output[responseName];
      let inputValue = input[responseName] ?? null;
      if (selection.isTypename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== typenameKey) inputValue = input[typenameKey] ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (state.schema.type(inputValue) ?? parentType) : parentType;
          if (type.kind !== 'ObjectType') return NULL_BUBBLE_UP;
          output[responseName] = type.name;
        }
        continue;
      }
      path.push(responseName);
      const updated = updateOutputValue(outputValue, selection.type, inputValue, selection.selectionSet, path, state, parentType);
      output[responseName] = updated;
      path.pop();
      if (state.invalid) return NULL_BUBBLE_UP;
    } else {
      const typename = input[typenameKey];
      check(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${typename}`);
      if (fragmentApplies(state.schema, selection, typename, parentType)) {
        const res = applySelectionSet(input, selection.selectionSet, output, state, path, selection.typeCondition ?? parentType);
        if (res === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
      }
    }
  }
  return OK;
}

function done(state: Shaping, value: unknown, invalid: boolean, hasErrors: boolean): JsonTree {
  state.invalid = invalid;
  state.hasErrors = hasErrors;
  return value;
}

/** @apollo/gateway's resultShaping updateOutputValue; its `{ updated, isInvalid, hasErrors }` are the return value and `state`'s flags. */
function updateOutputValue(
  outputValue: JsonTree,
  type: Type,
  inputValue: JsonTree,
  selectionSet: SelectionShape[] | undefined,
  path: Path,
  state: Shaping,
  parentType: CompositeType,
): JsonTree {
  check(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
  if (outputValue === null || (outputValue !== undefined && !selectionSet)) return done(state, outputValue, false, false);
  if (type.kind === 'NonNullType') {
    const updated = updateOutputValue(outputValue, type.ofType, inputValue, selectionSet, path, state, parentType);
    if (updated === null) {
      if (!state.hasErrors) {
        state.errors.push(
          ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${pathLastElementDescription(path, type.ofType, parentType)}.`, { path: Array.from(path) }),
        );
      }
      return done(state, updated, true, true);
    }
    return done(state, updated, false, false);
  }
  if (inputValue === null) return done(state, null, false, false);
  if (type.kind === 'ListType') {
    check(Array.isArray(inputValue), () => `Invalid non-list value ${inputValue} returned by subgraph for list type ${type}`);
    check(outputValue === undefined || Array.isArray(outputValue), () => `Invalid non-list value ${outputValue} returned by subgraph for list type ${type}`);
    const length = outputValue === undefined ? inputValue.length : outputValue.length;
    check(inputValue.length === length, () => `[${inputValue}].length (${inputValue.length}) !== [${outputValue}].length (${length})`);
    let shouldNullify = false;
    let hasErrors = false;
    const updated = new Array(length);
    for (let idx = 0; idx < length; idx += 1) {
      path.push(idx);
      updated[idx] = updateOutputValue(outputValue === undefined ? undefined : outputValue[idx], type.ofType, inputValue[idx], selectionSet, path, state, parentType);
      path.pop();
      shouldNullify ||= state.invalid;
      hasErrors ||= state.hasErrors;
    }
    return done(state, shouldNullify ? null : updated, false, hasErrors);
  }
  if (type.kind === 'ObjectType' || type.kind === 'InterfaceType' || type.kind === 'UnionType') {
    check(selectionSet, () => `Invalid empty selection set for composite type ${type}`);
    check(typeof inputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
    check(outputValue === undefined || typeof outputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
    const inputTypename = inputValue[typenameKey];
    check(inputTypename === undefined || typeof inputTypename === 'string', () => `Invalid non-string value ${inputTypename} for __typename at ${path}`);
    let objType: CompositeType = type;
    if (inputTypename) {
      const typenameType = state.schema.type(inputTypename);
      if (!typenameType || !isCompositeType(typenameType)) {
        state.errors.push(
          ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${pathLastElementDescription(path, type, parentType)}.`, { path: Array.from(path) }),
        );
        return done(state, null, false, true);
      }
      objType = typenameType;
    }
    const outputValueObject = outputValue === undefined ? {} : outputValue;
    const hasErrors = applySelectionSet(inputValue, selectionSet, outputValueObject, state, path, objType) === NULL_BUBBLE_UP;
    return done(state, hasErrors ? null : outputValueObject, false, hasErrors);
  }
  check(outputValue === undefined, () => `Excepted output to be undefined but got ${type} for type ${type}`);
  // An output type that is neither composite nor a wrapper is a scalar or an enum.
  const isValidValue = validLeaf(state.schema, inputValue, type as ScalarType | EnumType);
  if (!isValidValue) {
    state.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${pathLastElementDescription(path, type, parentType)}.`, { path: Array.from(path) }));
  }
  return done(state, isValidValue ? inputValue : null, false, !isValidValue);
}

/**
 * @apollo/gateway's computeResponse: the merged subgraph data laid out as the operation asks (its
 * fields in order, aliases, `@skip`/`@include`, `__typename`, type conditions, null propagation
 * of non-null fields), with the same errors for invalid values.
 */
export function shapeResponse(
  shape: OperationShape,
  variables: Record<string, unknown> | undefined,
  input: Record<string, unknown> | null | undefined,
): { data: Record<string, unknown> | null | undefined; errors: GraphQLError[] } {
  if (!input) return { data: input, errors: [] };
  const state: Shaping = {
    schema: shape.schema,
    variables: { __proto__: null, ...shape.defaultedVariables, ...variables } as Record<string, unknown>,
    errors: [],
    invalid: false,
    hasErrors: false,
  };
  const data = {};
  const res = applySelectionSet(input, shape.selectionSet, data, state, [], shape.rootType);
  return { data: res === NULL_BUBBLE_UP ? null : data, errors: state.errors };
}
