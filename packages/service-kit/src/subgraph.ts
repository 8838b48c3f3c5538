import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { createSourceEventStream, execute, validate, type DocumentNode, type FormattedExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import { maskUnexpectedErrors } from './errors';
import { isAsyncIterable } from './gateway-served';
import { createHttpHandler, listen, type HealthCheck, type RunningHttpServer, type SubscriptionEventRequest } from './http';
import { developmentGatewaySecret } from './config';
import { identityFromHeaders, type Identity } from './identity';
import { refuseUntrustedCallers } from './identity-signature';
import type { Logger } from './logger';
import { noteOperation, observeRequests, operationObserver } from './observed-request';
import { reportedLiveSequence } from './live-sequence';

/** What every subgraph's resolvers receive; subgraphs add their loaders and services. */
export interface BaseSubgraphContext extends BaseContext {
  identity: Identity | null;
}

export interface SubgraphDefinition<TContext extends BaseSubgraphContext> {
  name: string;
  typeDefs: DocumentNode;
  // Codegen's resolver types are stricter than Apollo's map; each subgraph checks its own.
  resolvers: object;
  /** Builds the per-request context (fresh DataLoaders) for a verified caller. */
  context: (identity: Identity | null) => Omit<TContext, 'identity'>;
  health: HealthCheck;
  /** Plain GET endpoints beside /graphql by path, e.g. the users subgraph's JWKS document. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>>;
  /** See HttpServerOptions.degraded; runSubgraph reports the broker and Redis here. */
  degraded?: HealthCheck;
  /** See HttpServerOptions.readyRequires. */
  readyRequires?: readonly string[];
  /**
   * GATEWAY_SUBGRAPH_SECRET, shared with the gateway: a request whose identity
   * headers are not signed with it is refused (401 UNTRUSTED_CALLER). The
   * development default unless given; runSubgraph gives the configured one.
   */
  gatewaySecret?: string;
  logger: Logger;
}

export function buildDefinitionSchema(definition: Pick<SubgraphDefinition<BaseSubgraphContext>, 'typeDefs' | 'resolvers'>): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: definition.typeDefs,
    resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
  });
}

/** `schema` defaults to the definition's own; pass it when the caller also executes on it directly. */
export function createSubgraphServer<TContext extends BaseSubgraphContext>(
  definition: SubgraphDefinition<TContext>,
  schema: GraphQLSchema = buildDefinitionSchema(definition),
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Inline traces are for Apollo's cloud reporting, which we never send to; they only cost time.
    plugins: [ApolloServerPluginInlineTraceDisabled(), operationObserver],
    formatError: (formatted, error) =>
      maskUnexpectedErrors(formatted, (e) => definition.logger.error({ err: e }, 'unexpected error'), error),
  });
}

/**
 * Answers the gateway about a subscription it serves, with the caller's
 * ordinary context and errors masked exactly as Apollo's formatError masks
 * them: for an authorization request, the root field's `subscribe` resolver
 * decides (its stream is closed at once: the gateway streams, not us); for an
 * event, the root field runs with the published message as its root value.
 */
export async function executeSubscriptionEvent<TContext extends BaseSubgraphContext>(
  schema: GraphQLSchema,
  request: SubscriptionEventRequest,
  context: () => Promise<TContext>,
  logger: Logger,
): Promise<FormattedExecutionResult> {
  const mask = (error: GraphQLError, code?: string) =>
    maskUnexpectedErrors(
      code ? { ...error.toJSON(), extensions: { ...error.extensions, code } } : error.toJSON(),
      (e) => logger.error({ err: e }, 'unexpected error'),
      error.originalError ?? error,
    );
  noteOperation(request.operationName, 'subscription');
  const invalid = validate(schema, request.document);
  if (invalid.length > 0) return { errors: invalid.map((error) => mask(error, 'GRAPHQL_VALIDATION_FAILED')) };
  const args = {
    schema,
    document: request.document,
    operationName: request.operationName,
    variableValues: request.variables,
    rootValue: request.event,
    contextValue: await context(),
  };
  if (request.authorize) {
    const opened = await createSourceEventStream(args);
    if (!isAsyncIterable(opened)) return { errors: (opened.errors ?? []).map((error) => mask(error)) };
    await opened[Symbol.asyncIterator]().return?.();
    return { data: null };
  }
  const result = await execute(args);
  const sequence = reportedLiveSequence(args.contextValue);
  const extensions = sequence === undefined ? {} : { extensions: { liveSequence: sequence } };
  return result.errors ? { data: result.data, errors: result.errors.map((error) => mask(error)), ...extensions } : { data: result.data, ...extensions };
}

export interface RunningSubgraph extends RunningHttpServer {
  apollo: ApolloServer<BaseSubgraphContext>;
}

function routed(routes: NonNullable<SubgraphDefinition<BaseSubgraphContext>['routes']>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const route = req.method === 'GET' ? routes[new URL(req.url ?? '/', 'http://localhost').pathname] : undefined;
    if (!route) return false;
    await route(req, res);
    return true;
  };
}

/** Starts the subgraph on `port` (0 picks a free one): POST/GET /graphql, GET /health and, given `metrics`, GET /metrics. */
export async function startSubgraph<TContext extends BaseSubgraphContext>(
  definition: SubgraphDefinition<TContext>,
  port: number,
  host?: string,
  metrics?: Registry,
): Promise<RunningSubgraph> {
  const schema = buildDefinitionSchema(definition);
  const apollo = createSubgraphServer(definition, schema);
  await apollo.start();
  const handler = createHttpHandler<TContext>({
    apollo,
    health: definition.health,
    degraded: definition.degraded,
    readyRequires: definition.readyRequires,
    context: async ({ req }: { req: IncomingMessage }) => {
      const identity = identityFromHeaders(req.headers);
      return { ...definition.context(identity), identity } as TContext;
    },
    subscriptionEvent: (request, context) => executeSubscriptionEvent(schema, request, context, definition.logger),
    before: definition.routes ? routed(definition.routes) : undefined,
    metrics,
  });
  const trusted = refuseUntrustedCallers(handler, definition.gatewaySecret ?? developmentGatewaySecret);
  const running = await listen(observeRequests(trusted, { service: definition.name, logger: definition.logger, level: 'debug' }), port, host);
  return {
    ...running,
    apollo: apollo as unknown as ApolloServer<BaseSubgraphContext>,
    async close() {
      await running.close();
      await apollo.stop();
    },
  };
}
