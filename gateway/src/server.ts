import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { LivePubSub } from '@commerce/pubsub';
import { maskUnexpectedErrors } from '@commerce/service-kit/src/errors';
import { developmentGatewaySecret } from '@commerce/service-kit/src/config';
import { createHttpHandler, listen, sendJson } from '@commerce/service-kit/src/http';
import type { JwtSettings } from '@commerce/service-kit/src/jwt';
import type { RevokedSessions } from '@commerce/service-kit/src/revoked-sessions';
import { createLogger, type Logger } from '@commerce/service-kit/src/logger';
import { observeRequests, operationObserver } from '@commerce/service-kit/src/observed-request';
import { disableApolloTelemetryUnlessSet } from './config';
import { createContext, RequestCallers, type GatewayContext } from './context';
import { createCors, defaultCorsOrigins, type CorsOrigins } from './cors';
import { createExplorer } from './explorer';
import { operationResolution } from './operation-resolution';
import { checkGatewayHealth, sendHealth, type GatewayHealth } from './health';
import { IdentityForwardingDataSource } from './identity-data-source';
import { withArgumentRequirementsAliased } from './argument-requirements';
import { AuthorizingGateway } from './authorization/gateway';
import { ProgressiveOverrideGateway } from './progressive-override';
import { withEnforcedSecurityFeatures } from './authorization/supergraph';
import type { RateLimiter } from './limits/rate-limiter';
import { RateLimits } from './limits/rate-limits';
import { Admission } from './operations/admission';
import { ClientRegistry } from './operations/clients';
import { OperationGate } from './operations/operation-gate';
import { InMemoryPersistedQueryStore, type PersistedQueryStore } from './operations/persisted-query-store';
import { createKeepAliveFetcher } from './keep-alive-fetcher';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { createMultipartTransport, isMultipartSubscription } from './subscriptions/multipart-transport';
import { SubscriptionPlanner } from './subscriptions/plan';
import { SubscriptionService, type SubscriptionStats } from './subscriptions/service';
import { createSseTransport, isSseRequest } from './subscriptions/sse-transport';
import type { TransportOptions } from './subscriptions/transport-options';
import { attachWebSocketTransport } from './subscriptions/ws-transport';
import { refusingRevokedSessions, toVerifier, type AccessTokenVerifier } from './tokens/verifier';

export interface GatewayOptions {
  /** The composed supergraph; `reload` replaces it at run time. */
  supergraphSdl: string;
  /** Routing URL overrides by subgraph name, e.g. `{ users: 'http://users:4001/graphql' }`. */
  subgraphUrls?: Record<string, string>;
  /** How access tokens are verified: the quickstart's shared secret, or a verifier such as jwksVerifier. */
  jwt: JwtSettings | AccessTokenVerifier;
  /** Sessions signed out of, whose tokens are refused; without it only expiry ends a token. */
  revokedSessions?: RevokedSessions;
  /** Signs the caller's identity headers to the subgraphs (GATEWAY_SUBGRAPH_SECRET); the development default unless given. */
  subgraphSecret?: string;
  /** No explorer and no introspection. */
  production?: boolean;
  logger?: Logger;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Merge identical in-flight subgraph query fetches; on unless turned off (the benchmark compares both). */
  deduplicate?: boolean;
  /**
   * Where the owning subgraphs publish changes; subscriptions (graphql-ws,
   * SSE and multipart HTTP on this same /graphql URL) are served only with one.
   */
  live?: LivePubSub;
  /** The clients and their operation policies in force (read per request); by default everyone is ALLOWed. */
  clients?: () => ClientRegistry;
  /** Where APQ registrations live; by default in this process only. */
  persistedQueries?: PersistedQueryStore;
  /** Counts requests against clients' rate limits (Redis, shared by every instance); without one nothing is rate limited. */
  rateLimiter?: RateLimiter;
  /** The browser origins that may call /graphql (CORS_ORIGINS): by default any outside production, none in it. */
  corsOrigins?: CorsOrigins;
}

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  port: number;
  server: Server;
  apollo: ApolloServer<GatewayContext>;
  /** One data source per subgraph, by name, as routed. */
  dataSources: ReadonlyMap<string, IdentityForwardingDataSource>;
  health(): Promise<GatewayHealth>;
  /**
   * Serves a new supergraph from now on, without a restart: queries plan over
   * it at once, new subscriptions too, and live subscriptions carry on.
   * Rejects (keeping the current one) when it does not load.
   */
  reload(supergraphSdl: string): Promise<void>;
  /** The live subscriptions on this instance (for the benchmark and operators). */
  subscriptionStats(): SubscriptionStats;
  close(): Promise<void>;
}

/**
 * Builds the gateway over a supergraph and serves it: POST/GET /graphql,
 * subscriptions on the same URL (graphql-ws, SSE, multipart), GET /health
 * with every subgraph's status, GET /metrics and, outside production, the
 * GraphiQL explorer on a browser's GET /graphql.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const production = options.production ?? false;
  const logger = options.logger ?? createLogger('gateway', 'warn');
  const overrides = options.subgraphUrls ?? {};
  const fetcher = createKeepAliveFetcher();
  const dataSources = new Map<string, IdentityForwardingDataSource>();
  const metrics = new GatewayMetrics();
  const open = ClientRegistry.open();
  const clients = options.clients ?? (() => open);
  let loaded = false;

  disableApolloTelemetryUnlessSet();
  const supergraphSdl = withEnforcedSecurityFeatures(withArgumentRequirementsAliased(options.supergraphSdl));
  let updateSupergraph: ((supergraphSdl: string) => void) | null = null;
  const gateway = new ApolloGateway({
    // The function form hands us `update`, the gateway's own way to swap supergraphs at run time.
    supergraphSdl: async ({ update }) => {
      updateSupergraph = update;
      return { supergraphSdl };
    },
    logger,
    buildService({ name, url }) {
      const routed = overrides[name] ?? url;
      if (!routed) throw new Error(`Subgraph ${name} has no routing URL; set SUBGRAPH_${name.toUpperCase()}_URL`);
      const dataSource = new IdentityForwardingDataSource({
        name,
        url: routed,
        fetcher,
        secret: options.subgraphSecret ?? developmentGatewaySecret,
        deduplicate: options.deduplicate,
        observeFetch: metrics.subgraphFetched,
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    // @authenticated and @requiresScopes, which @apollo/gateway does not enforce; progressive @override, which it never applies.
    gateway: new AuthorizingGateway(new ProgressiveOverrideGateway(gateway)),
    logger,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // Persisted operations (APQ and trusted documents) are resolved before Apollo sees a request (operations/).
    persistedQueries: false,
    nodeEnv: production ? 'production' : 'development',
    formatError: (formatted, error) => maskUnexpectedErrors(formatted, (e) => logger.error({ err: e }, 'unexpected error'), error),
    plugins: [
      // Our own explorer is served instead, from our own files.
      ApolloServerPluginLandingPageDisabled(),
      // Subgraphs send no cache hints and nothing caches whole responses, so computing a policy per request is waste.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      metrics.operationsPlugin<GatewayContext>(clients),
      // Names each request's operation in its span and log line.
      operationObserver,
      operationResolution,
    ],
  });
  await apollo.start();
  loaded = true;

  const formatError = (error: GraphQLError) =>
    maskUnexpectedErrors(error.toJSON(), (e) => logger.error({ err: e }, 'unexpected error'), error.originalError ?? error);
  const subscriptions = new SubscriptionService(supergraphSdl, dataSources, options.live, logger, formatError);
  metrics.watchSubscriptions(() => subscriptions.stats());
  const rates = options.rateLimiter ? new RateLimits(options.rateLimiter, logger) : undefined;
  const limits = { schema: () => subscriptions.schema, rates };
  const admission = new Admission(clients, new OperationGate(options.persistedQueries ?? new InMemoryPersistedQueryStore(), logger), limits, metrics.refused);
  const verifier = toVerifier(options.jwt);
  const callers = new RequestCallers(
    options.revokedSessions
      ? refusingRevokedSessions(verifier, options.revokedSessions, (error) => logger.error({ err: error }, 'revoked sessions unreadable; tokens checked by signature only'))
      : verifier,
  );
  const transport: TransportOptions = { service: subscriptions, admission, callers, formatError, production };
  const sse = createSseTransport(transport);
  const multipart = createMultipartTransport(transport);
  const cors = createCors(options.corsOrigins ?? defaultCorsOrigins(production));

  const health = async (): Promise<GatewayHealth> => {
    const report = await checkGatewayHealth(loaded ? Object.fromEntries([...dataSources].map(([name, ds]) => [name, ds.url])) : null);
    // Queries go on without Redis; only subscriptions suffer, so it is reported, not a 503.
    const redis = options.live ? options.live.problem() : 'not configured: subscriptions are refused';
    return redis ? { ...report, degraded: { redis } } : report;
  };
  const graphql = createHttpHandler<GatewayContext>({
    apollo,
    context: createContext(callers),
    // Answered below with every subgraph's status; the kit's handler only sees requests for other paths.
    health: async () => ({ supergraph: loaded ? null : 'no supergraph loaded' }),
    before: production ? undefined : createExplorer(),
    prepare: (request) => admission.prepareHttp(request),
    metrics: metrics.registry,
  });
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && (req.url === '/health' || req.url?.startsWith('/health?'))) {
      sendHealth(res, await health());
      return;
    }
    const onGraphqlPath = req.url === '/graphql' || req.url?.startsWith('/graphql?');
    // First, so that every answer below, refusals included, carries the CORS headers; a preflight ends here.
    if (onGraphqlPath && cors(req, res)) return;
    // Body size and rate limits, for every HTTP transport, before a body is read.
    const refused = onGraphqlPath ? await admission.admitRequest(req, { userId: await callers.userIdOf(req) }) : null;
    if (refused) return sendJson(res, refused.status, refused.body, refused.headers);
    if (onGraphqlPath && isMultipartSubscription(req)) {
      metrics.connections.track('multipart', res);
      return multipart(req, res);
    }
    if (onGraphqlPath && isSseRequest(req)) {
      metrics.connections.track('sse', res);
      return sse(req, res);
    }
    await graphql(req, res);
  };

  let running;
  try {
    running = await listen(observeRequests(handler, { service: 'gateway', logger }), options.port ?? 0, options.host);
  } catch (error) {
    await apollo.stop();
    fetcher.destroy();
    throw error;
  }

  const webSockets = attachWebSocketTransport(running.server, '/graphql', transport);
  metrics.connections.trackWebSockets(running.server, '/graphql');

  return {
    url: running.url,
    port: running.port,
    server: running.server,
    apollo,
    dataSources,
    health,
    async reload(supergraphSdl) {
      if (!updateSupergraph) throw new Error('The gateway has not loaded its first supergraph yet');
      // Planned first: a supergraph the planner cannot load must reach neither half.
      const enforced = withEnforcedSecurityFeatures(withArgumentRequirementsAliased(supergraphSdl));
      const planner = new SubscriptionPlanner(enforced);
      updateSupergraph(enforced);
      subscriptions.usePlanner(planner);
    },
    subscriptionStats: () => subscriptions.stats(),
    async close() {
      await webSockets.dispose();
      await subscriptions.close();
      await running.close();
      await apollo.stop();
      loaded = false;
      fetcher.destroy();
    },
  };
}
