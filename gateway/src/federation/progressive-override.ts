import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { QueryPlanner } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { Kind, parse } from 'graphql';
import { WrappingGateway } from '../upstream/wrapping-gateway';

/** Which labelled overrides are in force for one request: label → whether the field has moved. */
export type OverrideConditions = Map<string, boolean>;

const percentLabel = /^percent\((\d+(?:\.\d+)?)\)$/;

/** The distinct `label`s of progressive @override in a supergraph (`@join__field(overrideLabel:)`), sorted. */
export function overrideLabels(supergraphSdl: string): string[] {
  const labels = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'join__field') continue;
        const label = directive.arguments?.find((arg) => arg.name.value === 'overrideLabel')?.value;
        if (label?.kind === Kind.STRING) labels.add(label.value);
      }
    }
  }
  return [...labels].sort();
}

/**
 * Decides each label for one request, as the Federation spec has a router do:
 * `percent(x)` moves the field for x% of requests, drawn per request; any
 * other label is for the router's own customisations to set, and this
 * gateway has none, so the field stays where it was.
 */
export function drawOverrideConditions(labels: readonly string[], random: () => number = Math.random): OverrideConditions {
  const conditions: OverrideConditions = new Map();
  for (const label of labels) {
    const percent = percentLabel.exec(label);
    conditions.set(label, percent ? random() * 100 < Number(percent[1]) : false);
  }
  return conditions;
}

/** The conditions of the request being planned, handed from `execute` to the planner across @apollo/gateway's awaits. */
const requestConditions = new AsyncLocalStorage<OverrideConditions>();

/** The planner @apollo/gateway builds for each supergraph; a private field, hence the narrow cast. */
function plannerOf(gateway: ApolloGateway): QueryPlanner | undefined {
  return (gateway as unknown as { queryPlanner?: QueryPlanner }).queryPlanner;
}

const instrumented = new WeakSet<QueryPlanner>();

/** Makes `planner` plan with the current request's conditions, when there are any. */
function planWithRequestConditions(planner: QueryPlanner): void {
  if (instrumented.has(planner)) return;
  instrumented.add(planner);
  const buildQueryPlan = planner.buildQueryPlan.bind(planner);
  planner.buildQueryPlan = (operation, options) => {
    const overrideConditions = requestConditions.getStore();
    return buildQueryPlan(operation, overrideConditions ? { ...options, overrideConditions } : options);
  };
}

/**
 * Progressive @override for @apollo/gateway, which plans every labelled
 * override as not in force: its query planner starts each label at false and
 * the gateway never passes conditions, so `percent(100)` moves nothing.
 *
 * Here each request draws its conditions (see drawOverrideConditions), the
 * planner plans with them, and the plan is cached per document and set of
 * conditions (at most 2^labels plans per document), by giving the gateway a
 * query hash that includes them. Supergraphs without labels are untouched.
 */
export class ProgressiveOverrideGateway extends WrappingGateway<string[], ApolloGateway> {
  protected read(coreSupergraphSdl: string): string[] {
    return overrideLabels(coreSupergraphSdl);
  }

  protected execute(executor: GatewayExecutor, requestContext: GatewayGraphQLRequestContext, labels: string[] | undefined): Promise<GatewayExecutionResult> {
    if (!labels || labels.length === 0) return executor(requestContext);
    // The planner of the supergraph being served (@apollo/gateway replaces it on every update).
    const planner = plannerOf(this.inner);
    if (!planner) throw new Error('@apollo/gateway no longer keeps its planner in `queryPlanner`; progressive @override cannot be applied');
    planWithRequestConditions(planner);
    const conditions = drawOverrideConditions(labels);
    const drawn = labels.map((label) => (conditions.get(label) ? '1' : '0')).join('');
    const queryHash = createHash('sha256').update(`${requestContext.queryHash}\u0000${drawn}`).digest('hex');
    return requestConditions.run(conditions, () => executor({ ...requestContext, queryHash }));
  }
}
