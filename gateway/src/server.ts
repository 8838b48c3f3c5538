import type { Server } from 'node:http';
import type { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { LivePubSub } from '@commerce/pubsub';
import {
  createLogger,
  developmentGatewaySecret,
  listen,
  maskUnexpectedErrors,
  observeRequests,
  operationObserver,
  type JwtSettings,
  type Logger,
  type RevokedSessions,
} from '@commerce/service-kit';
import { withArgumentRequirementsAliased } from './federation/argument-requirements';
import { AuthorizingGateway } from './authorization/gateway';
import { PlanExecutingGateway } from './execution/plan-executing-gateway';
import { ProgressiveOverrideGateway } from './federation/progressive-override';
import { withEnforcedSecurityFeatures } from './authorization/supergraph';
import { disableApolloTelemetryUnlessSet } from './config/gateway-config';
import { clientAddressOf } from './http/client-address';
import { createCors, defaultCorsOrigins, originAllowedForUpgrade, type CorsOrigins } from './http/cors';
import { createExplorer } from './http/explorer';
import { checkGatewayHealth, type GatewayHealth } from './http/health';
import type { RateLimiter } from './limits/rate-limiter';
import { RateLimits } from './limits/rate-limits';
import { InMemorySignInAttempts, type SignInAttempts } from './limits/sign-in-attempts';
import { signInThrottling } from './limits/sign-in-plugin';
import { defaultSignInLimits, defaultSignInWindowSeconds, SignInThrottle, type SignInLimits } from './limits/sign-in-throttle';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { Admission } from './operations/admission';
import { apolloExecution } from './operations/apollo-execution';
import { ClientRegistry } from './operations/clients';
import { OperationGate } from './operations/operation-gate';
import { operationResolution } from './operations/operation-resolution';
import { subscriptionTransport } from './operations/subscription-transport';
import { InMemoryPersistedQueryStore, type PersistedQueryStore } from './operations/persisted-query-store';
import { SubscriptionPlanner } from './subscriptions/plan';
import { SubscriptionService, type SubscriptionStats } from './subscriptions/service';
import { RequestCallers } from './tokens/callers';
import { endRevokedSessions, LiveSessions } from './tokens/live-sessions';
import { refusingRevokedSessions, toVerifier, type AccessTokenVerifier } from './tokens/verifier';
import { attachWebSocketTransport } from './transports/graphql-ws';
import { createGraphQLHttpTransport } from './transports/graphql-http';
import { createFrontDoor } from './transports/http';
import { createMultipartTransport } from './transports/multipart';
import { createSseTransport } from './transports/sse';
import type { TransportOptions } from './transports/transport-options';
import { createContext, type GatewayContext } from './upstream/context';
import { IdentityForwardingDataSource } from './upstream/identity-data-source';
import { createKeepAliveFetcher } from './upstream/keep-alive-fetcher';

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
  /**
   * Counts failed sign-ins per account and per client address (Redis, shared
   * by every instance), and the limits; by default in this process, at
   * defaultSignInLimits per 15 minutes.
   */
  signIns?: { attempts: SignInAttempts; limits: SignInLimits; windowMs: number };
  /** Proxies in front that append to X-Forwarded-For (TRUSTED_PROXY_HOPS); 0 (the default) takes the peer's address. */
  trustedProxyHops?: number;
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
  const signIns = options.signIns ?? { attempts: new InMemorySignInAttempts(defaultSignInWindowSeconds * 1000), limits: defaultSignInLimits, windowMs: defaultSignInWindowSeconds * 1000 };
  const clientAddress = clientAddressOf(options.trustedProxyHops ?? 0);
  let loaded = false;

  disableApolloTelemetryUnlessSet();
  const supergraphSdl = withEnforcedSecurityFeatures(withArgumentRequirementsAliased(options.supergraphSdl));
  let updateSupergraph: ((supergraphSdl: string) => void) | null = null;
  // Apollo's planner and plan cache; its plans run on our executor where it supports them (execution/).
  const gateway = new PlanExecutingGateway({
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
      subscriptionTransport,
      // An attempt it counted that another plugin refuses is given back once the response shows it did not run.
      signInThrottling(new SignInThrottle(signIns.attempts, signIns.limits, logger, new InMemorySignInAttempts(signIns.windowMs))),
    ],
  });
  await apollo.start();
  loaded = true;

  const formatError = (error: GraphQLError) =>
    maskUnexpectedErrors(error.toJSON(), (e) => logger.error({ err: e }, 'unexpected error'), error.originalError ?? error);
  const sessions = new LiveSessions();
  const subscriptions = new SubscriptionService(supergraphSdl, dataSources, options.live, logger, formatError, sessions);
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
  const transport: TransportOptions = { service: subscriptions, execute: apolloExecution(apollo, () => subscriptions.schema), admission, callers, formatError, production, sessions, clientAddress };

  const health = async (): Promise<GatewayHealth> => {
    const report = await checkGatewayHealth(loaded ? Object.fromEntries([...dataSources].map(([name, ds]) => [name, ds.url])) : null);
    // Queries go on without Redis; only subscriptions suffer, so it is reported, not a 503.
    const redis = options.live ? options.live.problem() : 'not configured: subscriptions are refused';
    return redis ? { ...report, degraded: { redis } } : report;
  };
  const corsOrigins = options.corsOrigins ?? defaultCorsOrigins(production);
  // Set when close() starts, so a balancer polling /health/ready stops sending new work while in-flight requests drain.
  let draining = false;
  const ready = async (): Promise<GatewayHealth> =>
    draining ? { status: 'unavailable', reasons: { shutdown: 'draining before exit' }, subgraphs: {} } : health();
  const handler = createFrontDoor({
    admission,
    callers,
    cors: createCors(corsOrigins),
    health,
    ready,
    metrics,
    explorer: production ? undefined : createExplorer(),
    graphql: createGraphQLHttpTransport(apollo, createContext(callers, clientAddress), () => subscriptions.schema),
    sse: createSseTransport(transport),
    multipart: createMultipartTransport(transport),
    logger,
  });

  let running;
  try {
    running = await listen(observeRequests(handler, { service: 'gateway', logger }), options.port ?? 0, options.host);
  } catch (error) {
    await apollo.stop();
    fetcher.destroy();
    throw error;
  }

  // Signing out, on any instance, ends what this one has open under the session.
  const stopEndingSessions = options.revokedSessions ? endRevokedSessions(options.revokedSessions, sessions, logger) : () => undefined;
  const webSockets = attachWebSocketTransport(running.server, '/graphql', transport, (origin) => originAllowedForUpgrade(corsOrigins, origin));
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
      draining = true;
      stopEndingSessions();
      await webSockets.dispose();
      await subscriptions.close();
      await running.close();
      await apollo.stop();
      loaded = false;
      fetcher.destroy();
    },
  };
}
