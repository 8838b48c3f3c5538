import { createHash } from 'node:crypto';
import {
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type FieldNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

/*
 * @requires of a field with arguments, e.g. `@requires(fields: "weight(unit: KILOGRAM)")`.
 *
 * @apollo/query-planner (2.14) keys the selections it merges by response
 * name alone, so a required `weight(unit: KILOGRAM)` and the client's
 * `weight(unit: POUND)`, or another subgraph's required
 * `weight(unit: POUND)`, become one field with the first one's arguments,
 * and a subgraph receives a weight in the wrong unit. The Federation spec
 * lets @requires name fields with arguments and expects each requirement
 * met as written.
 *
 * So the planner is given a supergraph in which each required field with
 * arguments is a field of its own: `weight__requires_<hash>`, with no
 * arguments, @inaccessible to clients, resolvable by the same subgraphs as
 * the original, and named beside it in the @requires. Requirements then
 * never merge with anything else. On the way out (rewriteFetch), a fetch
 * selecting the stand-in asks for the original under the stand-in's name
 * as an alias, and a representation carrying it gives it back its real name.
 */

const marker = '__requires_';

/** Stand-in name → the field it stands for, with its arguments. Names hash the field, so a reloaded supergraph reuses them. */
const standIns = new Map<string, FieldNode>();

type CompositeDefinition = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

const inaccessibleLink = 'https://specs.apollo.dev/inaccessible/v0.2';

function standInName(typeName: string, field: FieldNode): string {
  const written = print({ ...field, alias: undefined, selectionSet: undefined, directives: [] });
  return `${field.name.value}${marker}${createHash('sha256').update(`${typeName}.${written}`).digest('hex').slice(0, 10)}`;
}

/** A stand-in to add: the field it stands for, and the subgraphs whose @requires name it. */
interface StandIn {
  original: FieldDefinitionNode;
  requiredBy: Set<string>;
}

const graphArgument = (graph: string) => ({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'graph' }, value: { kind: Kind.ENUM, value: graph } }) as const;

/**
 * The stand-in's definition: the original's type, resolved by the same
 * subgraphs, external only to the subgraphs that require it, without
 * arguments, hidden from clients.
 */
function standInDefinition(name: string, { original, requiredBy }: StandIn): FieldDefinitionNode {
  const joins = (original.directives ?? []).filter((d) => d.name.value === 'join__field');
  const external = (d: ConstDirectiveNode) => d.arguments?.some((a) => a.name.value === 'external' && a.value.kind === Kind.BOOLEAN && a.value.value);
  const resolvers: ConstDirectiveNode[] = joins
    .filter((d) => !external(d))
    .map((d) => ({ ...d, arguments: d.arguments?.filter((a) => a.name.value !== 'requires' && a.name.value !== 'provides') }));
  const externals: ConstDirectiveNode[] = [...requiredBy].map((graph) => ({
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'join__field' },
    arguments: [graphArgument(graph), { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'external' }, value: { kind: Kind.BOOLEAN, value: true } }],
  }));
  return {
    kind: Kind.FIELD_DEFINITION,
    name: { kind: Kind.NAME, value: name },
    type: original.type,
    arguments: [],
    directives: [{ kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'inaccessible' }, arguments: [] }, ...(joins.length > 0 ? [...resolvers, ...externals] : [])],
  };
}

/**
 * The supergraph with every required field that takes arguments replaced by
 * a stand-in (see the note at the top of this file); unchanged when no
 * @requires names one.
 */
export function withArgumentRequirementsAliased(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const types = new Map<string, CompositeDefinition>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) types.set(definition.name.value, definition);
  }
  /** Stand-in fields to add, by type and name. */
  const added = new Map<string, Map<string, StandIn>>();

  const replaceIn = (graph: string, typeName: string, selectionSet: SelectionSetNode): SelectionSetNode => ({
    ...selectionSet,
    selections: selectionSet.selections.map((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        return { ...selection, selectionSet: replaceIn(graph, selection.typeCondition?.name.value ?? typeName, selection.selectionSet) };
      }
      if (selection.kind !== Kind.FIELD) return selection;
      const definition = types.get(typeName)?.fields?.find((f) => f.name.value === selection.name.value);
      const subselection = selection.selectionSet && definition ? replaceIn(graph, namedType(definition.type), selection.selectionSet) : selection.selectionSet;
      if (!definition || !selection.arguments?.length) return { ...selection, selectionSet: subselection };
      const name = standInName(typeName, selection);
      standIns.set(name, { ...selection, alias: undefined, selectionSet: undefined });
      const standInsOfType = added.get(typeName) ?? new Map<string, StandIn>();
      const standIn = standInsOfType.get(name) ?? { original: definition, requiredBy: new Set<string>() };
      standIn.requiredBy.add(graph);
      standInsOfType.set(name, standIn);
      added.set(typeName, standInsOfType);
      return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: name }, selectionSet: subselection };
    }),
  });

  const rewritten = visit(document, {
    Directive(node, _key, _parent, _path, ancestors) {
      if (node.name.value !== 'join__field') return undefined;
      const requires = node.arguments?.find((a) => a.name.value === 'requires');
      const graph = node.arguments?.find((a) => a.name.value === 'graph')?.value;
      if (requires?.value.kind !== Kind.STRING || !requires.value.value.includes('(') || graph?.kind !== Kind.ENUM) return undefined;
      const owner = [...ancestors].reverse().find((a): a is CompositeDefinition => 'kind' in a && (a.kind === Kind.OBJECT_TYPE_DEFINITION || a.kind === Kind.INTERFACE_TYPE_DEFINITION));
      if (!owner) return undefined;
      const fieldSet = (parse(`{${requires.value.value}}`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
      const standIn = print(replaceIn(graph.value, owner.name.value, fieldSet)).slice(1, -1).trim().replace(/\s+/g, ' ');
      // The original stays beside its stand-in so that the subgraph's @external field remains in use, as
      // extraction demands; whatever value it merges into is overwritten by the stand-in's (see `renamed`).
      const both = `${requires.value.value} ${standIn}`;
      return { ...node, arguments: node.arguments!.map((a) => (a === requires ? { ...a, value: { kind: Kind.STRING, value: both } } : a)) };
    },
  });
  if (added.size === 0) return supergraphSdl;

  const withStandIns: DocumentNode = {
    ...rewritten,
    definitions: rewritten.definitions.map((definition) => {
      const standInsOfType = (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) && added.get(definition.name.value);
      if (!standInsOfType) return definition;
      const fields = [...standInsOfType].map(([name, standIn]) => standInDefinition(name, standIn));
      return { ...definition, fields: [...(definition.fields ?? []), ...fields] };
    }),
  };
  return print(withInaccessible(withStandIns));
}

/** Links the inaccessible spec (as composition does) when the supergraph does not already. */
function withInaccessible(document: DocumentNode): DocumentNode {
  const linked = document.definitions.some(
    (d) => d.kind === Kind.SCHEMA_DEFINITION && d.directives?.some((l) => l.name.value === 'link' && l.arguments?.some((a) => a.value.kind === Kind.STRING && a.value.value.startsWith('https://specs.apollo.dev/inaccessible/'))),
  );
  if (linked) return document;
  const extra = parse(`
    schema @link(url: "${inaccessibleLink}", for: SECURITY) { query: Query }
    directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
  `);
  const link = (extra.definitions[0] as { directives: readonly ConstDirectiveNode[] }).directives[0]!;
  return {
    ...document,
    definitions: [
      ...document.definitions.map((d) => (d.kind === Kind.SCHEMA_DEFINITION ? { ...d, directives: [...(d.directives ?? []), link] } : d)),
      extra.definitions[1]!,
    ],
  };
}

/** Whether a stand-in's name is a key anywhere in `value`. */
function mentionsStandIn(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsStandIn);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, item]) => standIns.has(key) || mentionsStandIn(item));
}

/** Gives stand-in keys of a representation their real names again: the subgraph knows only those. */
function renamed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renamed);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [key, item] of entries) if (!standIns.has(key)) copy[key] = renamed(item);
  // After the rest: a stand-in's value wins over the merged one under the real name.
  for (const [key, item] of entries) {
    const original = standIns.get(key);
    if (original) copy[original.name.value] = renamed(item);
  }
  return copy;
}

/**
 * A fetch as the subgraph must receive it: each stand-in selected becomes
 * the original field aliased to the stand-in's name, and representations
 * carry required values under their real names. Unchanged (the same
 * objects) when the fetch involves no stand-in.
 */
export function rewriteFetch(query: string, variables: Record<string, unknown> | undefined): { query: string; variables: Record<string, unknown> | undefined } {
  if (standIns.size === 0) return { query, variables };
  const rewrittenQuery = query.includes(marker)
    ? print(
        visit(parse(query), {
          Field(node) {
            const original = standIns.get(node.name.value);
            return original ? { ...original, alias: node.alias ?? node.name, selectionSet: node.selectionSet } : undefined;
          },
        }),
      )
    : query;
  const representations = variables?.representations;
  const rewrittenVariables = Array.isArray(representations) && mentionsStandIn(representations) ? { ...variables, representations: renamed(representations) } : variables;
  return { query: rewrittenQuery, variables: rewrittenVariables };
}
