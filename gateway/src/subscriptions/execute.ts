import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { executeQueryPlan, type ServiceMap } from '@apollo/gateway/dist/executeQueryPlan';
import type { QueryPlan } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Logger } from '@commerce/service-kit/src/logger';
import type { GatewayContext } from '../context';
import type { SubscriptionPlan, SubscriptionPlanner } from './plan';

/**
 * The owning subgraph's data source for one event: the primary fetch goes
 * out as any fetch does (same fetcher, same identity headers) with the event
 * in `extensions.subscriptionEvent`, which the kit's handler turns into the
 * root value.
 */
class SubscriptionEventDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly inner: GraphQLDataSource<GatewayContext>,
    private readonly event: object,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    return this.inner.process({
      ...options,
      request: { ...options.request, extensions: { ...options.request.extensions, subscriptionEvent: this.event } },
    });
  }
}

export interface SubscriptionRequest {
  plan: SubscriptionPlan;
  source: string;
  operationName?: string;
  variables: Record<string, unknown>;
  context: GatewayContext;
}

/**
 * Resolves a subscription's selection for one event: the primary fetch at
 * the owning subgraph, then the rest of the plan exactly as for a query
 * (the `_entities` fetches to the other subgraphs), through the gateway's own
 * executor and data sources.
 */
export class SubscriptionExecutor {
  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly dataSources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>,
    private readonly logger: Logger,
  ) {}

  async resolve(request: SubscriptionRequest, event: object): Promise<GatewayExecutionResult> {
    const { primary, rest, operationContext } = request.plan;
    const owner = this.dataSources.get(primary.serviceName);
    if (!owner) throw new Error(`No data source for subgraph ${primary.serviceName}`);
    const serviceMap: ServiceMap = Object.fromEntries(this.dataSources);
    serviceMap[primary.serviceName] = new SubscriptionEventDataSource(owner, event);
    const queryPlan: QueryPlan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary };
    return executeQueryPlan(queryPlan, serviceMap, this.requestContext(request), operationContext, this.planner.supergraphSchema, this.planner.apiSchema);
  }

  /**
   * executeQueryPlan reads only the request (variables), the context, the
   * logger and the metrics it records error paths in; the rest of Apollo
   * Server's request context has no meaning outside an HTTP request.
   */
  private requestContext(request: SubscriptionRequest): GatewayGraphQLRequestContext<GatewayContext> {
    const partial: Partial<GatewayGraphQLRequestContext<GatewayContext>> = {
      request: { query: request.source, operationName: request.operationName, variables: request.variables },
      context: request.context,
      logger: this.logger,
      metrics: {},
      operationName: request.operationName ?? null,
    };
    return partial as GatewayGraphQLRequestContext<GatewayContext>;
  }
}
