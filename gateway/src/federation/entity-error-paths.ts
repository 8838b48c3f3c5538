import type { ResponsePath } from '@apollo/query-planner';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/*
 * @apollo/gateway (2.14) reports an error a subgraph raised at
 * `_entities[i]…` at the path of the i-th non-null object found at the
 * fetch's place in the result. But `i` counts representations, and the
 * gateway sends one only for the objects the fetch applies to: where a list
 * mixes types (a Pen among Books in `[Item]`), every error after the first
 * object left out lands on the wrong list item, with the right data beside
 * it. Router and the spec report an error at the path of the field that
 * failed.
 *
 * Rather than fork the gateway's executor, this rewrites `i` in the
 * subgraph's answer to the index of the object the representation was made
 * from, which the gateway then hydrates correctly. The objects are read from
 * the result being built: the gateway merges each root fetch's `data` into
 * an empty result by reference, and every later fetch merges into those
 * same objects, so the root answers of a request are its live result.
 */

type JsonObject = Record<string, unknown>;

/** The `data` of each root fetch of an execution, by the request context every fetch of it shares. */
const rootAnswers = new WeakMap<object, JsonObject[]>();

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `key` of the result being built: the first root answer that set it is the object the gateway kept. */
function resultAt(roots: JsonObject[], key: string): unknown {
  for (const root of roots) if (Object.hasOwn(root, key)) return root[key];
  return undefined;
}

/** The non-null objects at `path`, in the gateway's order (as its generateHydratedPaths walks it). */
function objectsAt(value: unknown, path: ResponsePath, found: unknown[]): void {
  if (value === null || value === undefined) return;
  const [head, ...rest] = path;
  if (head === undefined) found.push(value);
  else if (Array.isArray(value)) for (const item of value) objectsAt(item, head === '@' ? rest : path, found);
  else if (typeof head === 'string' && isObject(value) && Object.hasOwn(value, head)) objectsAt(value[head], rest, found);
}

/** Whether `object` holds every value of `part` (a representation is a projection of the object it came from). */
function contains(object: unknown, part: unknown): boolean {
  if (Array.isArray(part)) return Array.isArray(object) && object.length === part.length && part.every((p, i) => contains(object[i], p));
  if (isObject(part)) return isObject(object) && Object.keys(part).every((key) => contains(object[key], part[key]));
  return object === part;
}

/**
 * Pairs each representation with the object it was made from, in order: the
 * gateway builds them walking the same objects. The type name must match
 * too unless the fetch renamed it (an @interfaceObject's), in which case
 * the fields alone decide. Undefined when a representation finds no object.
 */
function sourcesOf(objects: unknown[], representations: unknown[]): number[] | undefined {
  for (const sameTypename of [true, false]) {
    const sources: number[] = [];
    let next = 0;
    for (const representation of representations) {
      if (!isObject(representation)) return undefined;
      const { __typename, ...fields } = representation;
      const madeFrom = (object: unknown) => (!sameTypename || (isObject(object) && object.__typename === __typename)) && contains(object, fields);
      while (next < objects.length && !madeFrom(objects[next])) next += 1;
      if (next === objects.length) break;
      sources.push(next);
      next += 1;
    }
    if (sources.length === representations.length) return sources;
  }
  return undefined;
}

export interface AnsweredFetch {
  /** The request context @apollo/gateway passes with every fetch of one execution. */
  execution: object;
  /** Where the fetch's objects sit in the result (`pathInIncomingRequest`); empty for a root fetch. */
  path: ResponsePath | undefined;
  variables: Record<string, unknown> | undefined;
}

/** For each representation, the index among the objects at the fetch's path of the one it was made from; undefined when they coincide or cannot be told. */
function sourcesAt(fetch: AnsweredFetch, representations: unknown[]): number[] | undefined {
  const roots = rootAnswers.get(fetch.execution);
  const [first, ...rest] = fetch.path ?? [];
  if (!roots || typeof first !== 'string') return undefined;
  const objects: unknown[] = [];
  objectsAt(resultAt(roots, first), rest, objects);
  // Nothing was left out: the gateway's own mapping is right.
  if (objects.length === representations.length) return undefined;
  return sourcesOf(objects, representations);
}

/**
 * Remembers a root fetch's answer, or, for an entity fetch that came back
 * with errors, points each `_entities[i]` error at the object the i-th
 * representation was made from (see the note at the top of this file).
 *
 * An error on `_entities` itself (the whole fetch failed) would come out at
 * the gateway's internal path, e.g. `["products", "@", "_entities"]`, which
 * is no path in the response; it blames no single field, so it goes without
 * a path, as the GraphQL spec allows.
 */
export function alignEntityErrorPaths(fetch: AnsweredFetch, response: GatewayGraphQLResponse): GatewayGraphQLResponse {
  const representations = fetch.variables?.representations;
  if (!Array.isArray(representations)) {
    if ((fetch.path?.length ?? 0) === 0 && isObject(response.data)) {
      const roots = rootAnswers.get(fetch.execution);
      if (roots) roots.push(response.data);
      else rootAnswers.set(fetch.execution, [response.data]);
    }
    return response;
  }
  if (!response.errors?.some((error) => error.path?.[0] === '_entities')) return response;
  let sources: number[] | undefined | null = null;
  return {
    ...response,
    errors: response.errors.map((error) => {
      const path = error.path;
      if (path?.[0] !== '_entities') return error;
      if (path.length === 1) {
        const { path: _internal, ...withoutPath } = error;
        return withoutPath;
      }
      if (typeof path[1] !== 'number') return error;
      if (sources === null) sources = sourcesAt(fetch, representations);
      const source = sources?.[path[1]];
      return source === undefined ? error : { ...error, path: ['_entities', source, ...path.slice(2)] };
    }),
  };
}
