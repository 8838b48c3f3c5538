import { readFile } from 'node:fs/promises';
import { RedisLivePubSub, type LivePubSub } from '@commerce/pubsub';
import {
  createLogger,
  type Logger,
  InMemoryRevokedSessions,
  RedisRevokedSessions,
  type RevokedSessions,
  startTracing,
} from '@commerce/service-kit';
import { parseGatewayArgs } from './config/args';
import { loadGatewayConfig } from './config/gateway-config';
import { InMemoryRateLimiter } from './limits/rate-limiter';
import { RedisRateLimiter } from './limits/redis-rate-limiter';
import { RedisSignInAttempts } from './limits/redis-sign-in-attempts';
import { InMemorySignInAttempts } from './limits/sign-in-attempts';
import { ClientPolicies } from './operations/client-policies';
import { InMemoryPersistedQueryStore, RedisPersistedQueryStore } from './operations/persisted-query-store';
import { createGateway, type RunningGateway } from './server';
import { watchSupergraph } from './config/supergraph-watch';
import { jwksVerifier } from './tokens/jwks-verifier';

/** What a host process may hand the gateway instead of what its configuration would open. */
export interface GatewayDependencies {
  /** The quickstart's in-process pub/sub, shared with the subgraphs it runs beside. */
  live?: LivePubSub;
  /** The quickstart's in-process list of signed-out sessions, which its users subgraph writes. */
  revokedSessions?: RevokedSessions;
  logger?: Logger;
}

/**
 * Config (environment plus command line) → supergraph file → a listening
 * gateway. index.ts runs this until a signal; the quickstart stack and tests
 * call it directly.
 */
export async function startGateway(argv: string[], env?: NodeJS.ProcessEnv, given: GatewayDependencies = {}): Promise<RunningGateway> {
  const config = loadGatewayConfig(env, parseGatewayArgs(argv));
  startTracing('gateway', env);
  const logger = given.logger ?? createLogger('gateway', config.logLevel);
  const supergraphSdl = await readFile(config.supergraphPath, 'utf8');
  const ownLive = !given.live && config.redis ? await RedisLivePubSub.connect({ ...config.redis, logger }) : undefined;
  const live = given.live ?? ownLive;
  if (!live) logger.warn('REDIS_URL is not set: subscriptions are refused, and APQ registrations, rate limit and failed sign-in counts stay in this process');
  const persistedQueries = config.redis
    ? await RedisPersistedQueryStore.connect({ ...config.redis, ttlSeconds: config.apqTtlSeconds })
    : new InMemoryPersistedQueryStore();
  const rateLimiter = config.redis ? await RedisRateLimiter.connect(config.redis) : new InMemoryRateLimiter();
  const { windowMs, ...signInLimits } = config.signIn;
  const signInAttempts = config.redis ? await RedisSignInAttempts.connect({ ...config.redis, windowMs }) : new InMemorySignInAttempts(windowMs);
  const clients = await ClientPolicies.watch(config.clientsPath, logger);
  const ownRevokedSessions = given.revokedSessions
    ? undefined
    : config.redis
      ? RedisRevokedSessions.open(config.redis)
      : new InMemoryRevokedSessions();
  const jwt = config.jwksUrl
    ? jwksVerifier({ url: config.jwksUrl, issuer: config.jwt.issuer, audience: config.jwt.audience, onError: (error) => logger.error({ err: error }, 'JWKS fetch failed') })
    : config.jwt;
  const gateway = await createGateway({
    live,
    clients: clients.current,
    persistedQueries,
    rateLimiter,
    supergraphSdl,
    subgraphUrls: config.subgraphUrls,
    jwt,
    revokedSessions: given.revokedSessions ?? ownRevokedSessions,
    subgraphSecret: config.subgraphSecret,
    production: config.nodeEnv === 'production',
    corsOrigins: config.corsOrigins,
    signIns: { attempts: signInAttempts, limits: signInLimits, windowMs },
    trustedProxyHops: config.trustedProxyHops,
    logger,
    port: config.port,
    host: config.host,
  });
  const stopWatching = watchSupergraph(config.supergraphPath, supergraphSdl, (sdl) => gateway.reload(sdl), logger);
  logger.info({ supergraph: config.supergraphPath, subgraphs: Object.fromEntries([...gateway.dataSources].map(([n, ds]) => [n, ds.url])) }, `gateway ready at ${gateway.url}`);
  return {
    ...gateway,
    async close() {
      stopWatching();
      clients.stop();
      await gateway.close();
      await persistedQueries.close();
      await rateLimiter.close();
      await signInAttempts.close();
      await ownRevokedSessions?.close();
      await ownLive?.close();
    },
  };
}
