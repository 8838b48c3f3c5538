import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import type { Registry } from 'prom-client';
import type { DataSource, EntitySchema } from 'typeorm';
import { AmqpEventBus, InMemoryEventBus, type EventBus } from '@commerce/events';
import { InMemoryLivePubSub, RedisLivePubSub, type LivePubSub } from '@commerce/pubsub';
import { baseEnv, loadConfig, portVariable, type BaseConfig } from './config';
import { openDatabase, type MigrationClass } from './database';
import { InMemoryRevokedSessions, RedisRevokedSessions, type RevokedSessions } from './revoked-sessions';
import { startEventWork, type EventConsumer, type OutboxNotifier, type RunningEventWork } from './event-work';
import { liveEvents, type LiveAnnouncer } from './live-events';
import { startEmbeddedPostgres } from './embedded-postgres';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry } from './metrics';
import { startSubgraph, type BaseSubgraphContext, type RunningSubgraph, type SubgraphDefinition } from './subgraph';
import { tracedLive } from './traced-live';
import { flushTracing, startTracing } from './tracing';

export type { LivePubSub };

export interface SubgraphDependencies {
  dataSource: DataSource;
  config: BaseConfig;
  logger: Logger;
  /** Domain events between subgraphs: RabbitMQ, or in-process in the quickstart. */
  bus: EventBus;
  /** Wakes this subgraph's outbox relay after a write that committed events. */
  outbox: OutboxNotifier;
  /** Signed-out sessions, which every gateway refuses tokens of: Redis, or in-process in the quickstart. */
  revokedSessions: RevokedSessions;
}

/**
 * What a subgraph's build() makes of its dependencies: its resolvers, its
 * per-request context and any routes of its own. The kit adds what every
 * subgraph has (name, schema, logger, database health): {@link defineSubgraph}.
 */
export type SubgraphParts<TContext extends BaseSubgraphContext> = Pick<SubgraphDefinition<TContext>, 'resolvers' | 'context' | 'routes'>;

/** Everything needed to run one subgraph; each subgraph's server.ts exports one. */
export interface SubgraphModule<TContext extends BaseSubgraphContext = BaseSubgraphContext> {
  /** Also the name of the Postgres schema it owns. */
  name: string;
  defaultPort: number;
  /** Its schema.graphql, parsed ({@link readSchema}). */
  typeDefs: DocumentNode;
  entities: EntitySchema<any>[];
  migrations: MigrationClass[];
  build(deps: SubgraphDependencies): SubgraphParts<TContext>;
  /** It writes events to an outbox table in its schema, so a relay publishes them. */
  outbox?: boolean;
  /** The queues it consumes, with their handlers. */
  consumers?(deps: SubgraphDependencies): EventConsumer[];
  /**
   * What its live subscriptions hear of its own events, published on the live
   * pub/sub as soon as the outbox relay has published them (so only ever
   * after their transaction committed); needs `outbox`.
   */
  live?: LiveAnnouncer;
}

export interface ServiceDatabase {
  dataSource: DataSource;
  /** 'postgres' when DATABASE_URL is set, 'embedded' for the quickstart's PGlite. */
  mode: 'postgres' | 'embedded';
  close(): Promise<void>;
}

/**
 * Opens the subgraph's database and migrates it: the configured Postgres, or
 * with none configured an embedded PGlite kept under DATA_DIR/<name>.
 */
export async function openServiceDatabase(module: SubgraphModule<any>, config: BaseConfig): Promise<ServiceDatabase> {
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(path.resolve(config.DATA_DIR, module.name));
  const url = config.DATABASE_URL ?? embedded!.url;
  const dataSource = await openDatabase({
    url,
    schema: module.name,
    entities: module.entities,
    migrations: module.migrations,
    poolSize: embedded ? 1 : config.DATABASE_POOL_SIZE,
  });
  return {
    dataSource,
    mode: embedded ? 'embedded' : 'postgres',
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** A subgraph's SDL file, parsed: its schema.graphql, read once at start-up. */
export function readSchema(file: string): DocumentNode {
  return parse(readFileSync(file, 'utf8'));
}

/** The subgraph's whole definition: what its build() makes, with the name, schema, logger and database health every subgraph has. */
export function defineSubgraph<TContext extends BaseSubgraphContext>(module: SubgraphModule<TContext>, deps: SubgraphDependencies): SubgraphDefinition<TContext> {
  return {
    name: module.name,
    typeDefs: module.typeDefs,
    logger: deps.logger,
    health: databaseHealth(deps.dataSource),
    ...module.build(deps),
  };
}

export function databaseHealth(dataSource: DataSource) {
  return async () => {
    try {
      await dataSource.query('SELECT 1');
      return { postgres: null };
    } catch (error) {
      return { postgres: error instanceof Error ? error.message : 'unreachable' };
    }
  };
}

export interface RunningService {
  subgraph: RunningSubgraph;
  database: ServiceDatabase;
  stop(): Promise<void>;
}

/** Config → database → subgraph on PORT. Used by each subgraph's index.ts and by the quickstart. */
export async function runSubgraph<TContext extends BaseSubgraphContext>(
  module: SubgraphModule<TContext>,
  env: NodeJS.ProcessEnv = process.env,
  options: { logger?: Logger; bus?: EventBus; live?: LivePubSub; revokedSessions?: RevokedSessions } = {},
): Promise<RunningService> {
  const config = loadConfig({ ...baseEnv, PORT: portVariable(module.defaultPort) }, env);
  startTracing(module.name, env);
  const logger = options.logger ?? createLogger(module.name, config.LOG_LEVEL);
  const database = await openServiceDatabase(module, config);
  // A bus handed in is shared (the quickstart's in-process one) and closed by its owner.
  const ownBus = options.bus
    ? null
    : config.AMQP_URL
      ? await AmqpEventBus.connect({
          url: config.AMQP_URL,
          namespace: config.EVENTS_NAMESPACE,
          logger,
          prefetch: config.EVENTS_PREFETCH,
          queueType: config.EVENTS_QUEUE_TYPE,
        })
      : new InMemoryEventBus();
  const bus = options.bus ?? ownBus!;
  if (ownBus instanceof InMemoryEventBus) {
    logger.warn('AMQP_URL is not set: events stay inside this process, so other services will not hear them');
  }
  // Likewise a live pub/sub handed in is its owner's to close.
  const ownLive = options.live ? null : await openLivePubSub(config, logger);
  const live = options.live ?? ownLive!;
  const ownRevokedSessions = options.revokedSessions ? null : openRevokedSessions(config);
  const revokedSessions = options.revokedSessions ?? ownRevokedSessions!;
  const metrics = createMetricsRegistry();
  const { deps, events } = await wireSubgraph(module, { dataSource: database.dataSource, config, logger, bus, live, revokedSessions, metrics });
  const definition = {
    ...defineSubgraph(module, deps),
    degraded: async () => ({ rabbitmq: bus.problem(), redis: live.problem() }),
    readyRequires: config.READY_REQUIRES ?? [],
    gatewaySecret: config.GATEWAY_SUBGRAPH_SECRET,
  };
  const subgraph = await startSubgraph(definition, config.PORT, config.HOST, metrics);
  logger.info({ url: subgraph.url, database: database.mode }, `${module.name} subgraph ready`);
  return {
    subgraph,
    database,
    async stop() {
      // In order: no new requests (those in flight finish), no new events (handlers running finish
      // and are acknowledged; the rest stay queued), pruning stopped and the outbox drained, then the connections.
      await subgraph.close();
      await ownBus?.stopConsuming();
      await events.stop();
      await ownBus?.close();
      await ownLive?.close();
      await ownRevokedSessions?.close();
      await database.close();
    },
  };
}

/** Redis when REDIS_URL is set, in the deployment's namespace; otherwise an in-process one. */
export async function openLivePubSub(config: BaseConfig, logger: Logger): Promise<LivePubSub> {
  if (config.REDIS_URL) return RedisLivePubSub.connect({ url: config.REDIS_URL, namespace: config.EVENTS_NAMESPACE, logger });
  logger.warn('REDIS_URL is not set: live updates stay inside this process, so gateways elsewhere will not hear them');
  return new InMemoryLivePubSub({ namespace: config.EVENTS_NAMESPACE, logger });
}

/** Redis when REDIS_URL is set (connected on first use); otherwise this process's memory. */
export function openRevokedSessions(config: Pick<BaseConfig, 'REDIS_URL' | 'EVENTS_NAMESPACE'>): RevokedSessions {
  return config.REDIS_URL ? RedisRevokedSessions.open({ url: config.REDIS_URL, namespace: config.EVENTS_NAMESPACE }) : new InMemoryRevokedSessions();
}

/**
 * Starts the subgraph's event plumbing (outbox relay, consumers, retention) and returns
 * the dependencies its build() receives. Shared by runSubgraph and the tests.
 */
export async function wireSubgraph(
  module: SubgraphModule<any>,
  { metrics, live: givenLive, ...base }: Omit<SubgraphDependencies, 'outbox' | 'revokedSessions'> & {
    /** Where its live events go (SubgraphModule.live): Redis, or in-process in the quickstart. */
    live?: LivePubSub;
    revokedSessions?: RevokedSessions;
    metrics?: Registry;
  },
): Promise<{ deps: SubgraphDependencies; events: RunningEventWork }> {
  // Messages carry the trace of the change they announce on to the gateways.
  const live = tracedLive(givenLive ?? new InMemoryLivePubSub({ namespace: base.config.EVENTS_NAMESPACE }));
  if (module.live && !module.outbox) throw new Error(`${module.name} announces live updates of its events but has no outbox to take them from`);
  const events = startEventWork({
    ...base,
    metrics,
    schema: module.name,
    outbox: module.outbox ?? false,
    retention: { outbox: base.config.OUTBOX_RETENTION_HOURS, inbox: base.config.INBOX_RETENTION_HOURS },
    live: module.live ? liveEvents({ service: module.name, live, announcer: module.live, logger: base.logger }) : undefined,
  });
  // No live pub/sub among them: a subgraph's live updates are its committed events, announced by `module.live`.
  const deps = { ...base, revokedSessions: base.revokedSessions ?? new InMemoryRevokedSessions(), outbox: events.outbox };
  await events.consume(module.consumers?.(deps) ?? []);
  return { deps, events };
}

/**
 * Stops cleanly on SIGTERM/SIGINT, within SHUTDOWN_TIMEOUT_MS (past it the
 * process exits non-zero regardless), and exits non-zero (naming every
 * problem) when start-up fails.
 */
export function runUntilSignalled(start: () => Promise<{ stop(): Promise<void> }>, env: NodeJS.ProcessEnv = process.env): void {
  // The services' own configuration names a bad value with the rest; this is only the bound.
  const timeoutMs = loadConfig({ SHUTDOWN_TIMEOUT_MS: baseEnv.SHUTDOWN_TIMEOUT_MS.catch(10_000) }, env).SHUTDOWN_TIMEOUT_MS;
  start().then(
    (running) => {
      const shutdown = () => {
        const overdue = setTimeout(() => {
          console.error(`Shutdown took longer than ${timeoutMs} ms; exiting with work unfinished`);
          process.exit(1);
        }, timeoutMs);
        // The spans still buffered go out before the exit; a collector that is away costs only them.
        running.stop().then(() => flushTracing().catch(() => undefined)).then(
          () => {
            clearTimeout(overdue);
            process.exit(0);
          },
          (error: unknown) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
