import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { executeQueryPlan, type ServiceMap } from '@apollo/gateway/dist/executeQueryPlan';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Logger } from '@commerce/service-kit';
import type { GatewayContext } from '../upstream/context';
import type { SubscriptionPlan, SubscriptionPlanner } from './plan';

/**
 * The owning subgraph's data source for the primary fetch: it goes out as any
 * fetch does (same fetcher, same identity headers) with the extension that
 * tells the kit's handler what is asked: `subscriptionAuthorize` (may this
 * caller subscribe?) or `subscriptionEvent` (the root field for this message).
 */
class PrimaryFetchDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly inner: GraphQLDataSource<GatewayContext>,
    private readonly extensions: Record<string, unknown>,
    /** Hears the owning subgraph's answer, whose extensions the plan's result does not carry. */
    private readonly onAnswer: (response: GatewayGraphQLResponse) => void = () => undefined,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const response = await this.inner.process({
      ...options,
      request: { ...options.request, extensions: { ...options.request.extensions, ...this.extensions } },
    });
    this.onAnswer(response);
    return response;
  }
}

/** One message resolved: the result, and which change of its channel's sequence it shows when the owning subgraph said (`extensions.liveSequence`). */
export interface ResolvedMessage {
  result: GatewayExecutionResult;
  sequence?: number;
}

export interface SubscriptionRequest {
  plan: SubscriptionPlan;
  source: string;
  operationName?: string;
  variables: Record<string, unknown>;
  context: GatewayContext;
}

/**
 * Runs a subscription's plan through the gateway's own executor and data
 * sources: the primary fetch at the owning subgraph, then (for an event) the
 * rest of the plan exactly as for a query (the `_entities` fetches to the
 * other subgraphs).
 */
export class SubscriptionExecutor {
  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly dataSources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>,
    private readonly logger: Logger,
  ) {}

  /** The caller's selection for one published message. */
  async resolve(request: SubscriptionRequest, event: object): Promise<ResolvedMessage> {
    const { primary, rest } = request.plan;
    let sequence: number | undefined;
    const result = await this.run(request, rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary, { subscriptionEvent: event }, (response) => {
      const shown = response.extensions?.liveSequence;
      if (typeof shown === 'number') sequence = shown;
    });
    return { result, sequence };
  }

  /** Whether the caller may open this stream: the owning subgraph's `subscribe` resolver answers, with errors if not. */
  async authorize(request: SubscriptionRequest): Promise<GatewayExecutionResult> {
    return this.run(request, request.plan.primary, { subscriptionAuthorize: true });
  }

  private run(
    request: SubscriptionRequest,
    node: PlanNode,
    extensions: Record<string, unknown>,
    onAnswer?: (response: GatewayGraphQLResponse) => void,
  ): Promise<GatewayExecutionResult> {
    const { primary } = request.plan;
    const owner = this.dataSources.get(primary.serviceName);
    if (!owner) throw new Error(`No data source for subgraph ${primary.serviceName}`);
    const serviceMap: ServiceMap = Object.fromEntries(this.dataSources);
    serviceMap[primary.serviceName] = new PrimaryFetchDataSource(owner, extensions, onAnswer);
    const queryPlan: QueryPlan = { kind: 'QueryPlan', node };
    return executeQueryPlan(queryPlan, serviceMap, this.requestContext(request), request.plan.operationContext, this.planner.supergraphSchema, this.planner.apiSchema);
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
