import { ApolloGateway, executeQueryPlan, type GatewayConfig, type GraphQLDataSource } from '@apollo/gateway';
import { buildOperationContext, type OperationContext } from '@apollo/gateway/dist/operationContext';
import {
  OpenTelemetryAttributeNames,
  OpenTelemetrySpanNames,
  operationContextSpanAttributes,
  recordExceptions,
  requestContextSpanAttributes,
  tracer,
  type OpenTelemetryConfig,
} from '@apollo/gateway/dist/utilities/opentelemetry';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import { prettyFormatQueryPlan, type QueryPlan, type QueryPlanner } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { createHash } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import { Kind, type GraphQLError, type GraphQLSchema } from 'graphql';
import { executePreparedPlan, type PreparedPlan } from './plan-executor';
import { unsupportedPlanFeature } from './plan-support';
import { compileOperationShape } from './response-shaper';

/** What ApolloGateway keeps privately and its executor reads; read here by name, checked on first use. */
interface ApolloGatewayInternals {
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  queryPlanStore: KeyValueCache<QueryPlan>;
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  config: GatewayConfig & { telemetry?: OpenTelemetryConfig };
  logger: { warn(message: string): void; debug(message: string): void };
  experimental_didResolveQueryPlan?: GatewayConfig['experimental_didResolveQueryPlan'];
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
  validateIncomingRequest(requestContext: GatewayGraphQLRequestContext, operationContext: OperationContext): GraphQLError[];
}

/** How a cached plan runs: prepared for our executor, or (why not) with @apollo/gateway's. */
type PlanRoute = { prepared: PreparedPlan } | { apollo: string };

/**
 * @apollo/gateway with its planner and plan cache, whose plans run on our executor
 * (plan-executor.ts) when plan-support.ts accepts them, the choice made once per cached plan.
 *
 * The executor below is ApolloGateway's own (validation, the plan cache key, planning, its spans)
 * with one change: the call to executeQueryPlan. @apollo/gateway offers no seam there, so its
 * private fields are read by name; `assertInternals` fails the first request loudly if an
 * upgrade renames them, rather than letting plans run unnoticed on a different path.
 */
export class PlanExecutingGateway extends ApolloGateway {
  private readonly routes = new WeakMap<QueryPlan, PlanRoute>();
  /** Plans that ran on each executor, so tests can check which one served. */
  readonly planStats = { ours: 0, apollo: 0 };

  constructor(config?: GatewayConfig) {
    super(config);
    this.executor = (requestContext) => this.executePlanned(requestContext);
  }

  private get internals(): ApolloGatewayInternals {
    return this as unknown as ApolloGatewayInternals;
  }

  private executePlanned(requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const internals = this.internals;
    const telemetry = internals.config.telemetry;
    return tracer.startActiveSpan(OpenTelemetrySpanNames.REQUEST, { attributes: requestContextSpanAttributes(requestContext, telemetry) }, async (span) => {
      try {
        assertInternals(internals);
        const { request, document, queryHash } = requestContext;
        const queryPlanStoreKey = request.operationName ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex') : queryHash;
        const operationContext = buildOperationContext({ schema: internals.schema!, operationDocument: document, operationName: request.operationName });
        span.setAttributes(operationContextSpanAttributes(operationContext));
        const validationErrors = internals.validateIncomingRequest(requestContext, operationContext);
        if (validationErrors.length > 0) {
          recordExceptions(span, validationErrors, telemetry);
          span.setStatus({ code: SpanStatusCode.ERROR });
          return { errors: validationErrors };
        }
        let queryPlan = await internals.queryPlanStore.get(queryPlanStoreKey);
        if (!queryPlan) {
          queryPlan = this.plan(requestContext);
          try {
            await internals.queryPlanStore.set(queryPlanStoreKey, queryPlan);
          } catch (err) {
            internals.logger.warn('Could not store queryPlan' + ((err && (err as Error).message) || String(err)));
          }
        }
        const serviceMap: Record<string, GraphQLDataSource> = Object.create(null);
        for (const [name, { dataSource }] of Object.entries(internals.serviceMap)) serviceMap[name] = dataSource;
        internals.experimental_didResolveQueryPlan?.({ queryPlan, serviceMap, requestContext, operationContext });
        const route = this.routeOf(queryPlan, operationContext, requestContext);
        let response: GatewayExecutionResult;
        if ('prepared' in route) {
          this.planStats.ours += 1;
          response = await executePreparedPlan(route.prepared, serviceMap, requestContext, internals.supergraphSchema!, telemetry);
        } else {
          this.planStats.apollo += 1;
          response = await executeQueryPlan(queryPlan, serviceMap, requestContext, operationContext, internals.supergraphSchema!, internals.apiSchema!, telemetry);
        }
        exposeQueryPlan(internals, requestContext, queryPlan, response);
        if (response.errors) {
          recordExceptions(span, response.errors, telemetry);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      } catch (err) {
        recordExceptions(span, [err as Error], telemetry);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  /** ApolloGateway's planning step, in its span. */
  private plan(requestContext: GatewayGraphQLRequestContext): QueryPlan {
    const internals = this.internals;
    const attributes = requestContext.operationName ? { attributes: { [OpenTelemetryAttributeNames.GRAPHQL_OPERATION_NAME]: requestContext.operationName } } : {};
    return tracer.startActiveSpan(OpenTelemetrySpanNames.PLAN, attributes, (span) => {
      try {
        const operation = operationFromDocument(internals.apiSchema!, requestContext.document, { operationName: requestContext.request.operationName });
        return internals.queryPlanner!.buildQueryPlan(operation, {
          recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled,
          nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled,
        });
      } catch (err) {
        recordExceptions(span, [err as Error], internals.config.telemetry);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  private routeOf(queryPlan: QueryPlan, operationContext: OperationContext, requestContext: GatewayGraphQLRequestContext): PlanRoute {
    // Traces for usage reporting are built by executeQueryPlan alone.
    if (requestContext.metrics?.captureTraces) return { apollo: 'traces captured' };
    let route = this.routes.get(queryPlan);
    if (!route) {
      route = prepare(queryPlan, operationContext, this.internals.apiSchema!);
      this.routes.set(queryPlan, route);
    }
    return route;
  }
}

function prepare(queryPlan: QueryPlan, operationContext: OperationContext, apiSchema: Schema): PlanRoute {
  const unsupported = unsupportedPlanFeature(queryPlan);
  if (unsupported) return { apollo: unsupported };
  let operation;
  try {
    // As executeQueryPlan builds it, per request there; a document it cannot read stays with it.
    operation = operationFromDocument(
      apiSchema,
      { kind: Kind.DOCUMENT, definitions: [operationContext.operation, ...Object.values(operationContext.fragments)] },
      { validate: false },
    );
  } catch {
    return { apollo: 'operation not readable' };
  }
  const shaped = compileOperationShape(operation);
  if ('unsupported' in shaped) return { apollo: shaped.unsupported };
  return { prepared: { node: queryPlan.node as PreparedPlan['node'], operation, shape: shaped.shape } };
}

/** ApolloGateway's `debug` logging of the plan and its `Apollo-Query-Plan-Experimental` header (outside production). */
function exposeQueryPlan(internals: ApolloGatewayInternals, requestContext: GatewayGraphQLRequestContext, queryPlan: QueryPlan, response: GatewayExecutionResult): void {
  const headers = requestContext.request.http?.headers;
  const shouldShowQueryPlan = internals.config.__exposeQueryPlanExperimental && headers?.get('Apollo-Query-Plan-Experimental');
  const serializedQueryPlan = queryPlan.node && (internals.config.debug || shouldShowQueryPlan) ? prettyFormatQueryPlan(queryPlan) : null;
  if (internals.config.debug && serializedQueryPlan) internals.logger.debug(serializedQueryPlan);
  if (!shouldShowQueryPlan) return;
  const format = headers?.has('Apollo-Query-Plan-Experimental-Format') ? headers.get('Apollo-Query-Plan-Experimental-Format') : 'prettified';
  response.extensions = {
    __queryPlanExperimental: format === 'prettified' ? serializedQueryPlan || true : format === 'internal' ? queryPlan : true,
  };
}

function assertInternals(internals: ApolloGatewayInternals): void {
  const missing = (['schema', 'apiSchema', 'supergraphSchema', 'queryPlanner', 'queryPlanStore', 'serviceMap', 'config', 'validateIncomingRequest'] as const).filter(
    (name) => internals[name] === undefined,
  );
  if (missing.length > 0) throw new Error(`@apollo/gateway no longer keeps ${missing.join(', ')}; the plan executor cannot run`);
}
