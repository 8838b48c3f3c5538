import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from './logger';
import { openDatabase } from './database';
import { signAccessToken } from './jwt';
import type { Identity } from './identity';
import { signedIdentityHeaders } from './identity-signature';
import type { RevokedSessions } from './revoked-sessions';
import { startSubgraph, type BaseSubgraphContext, type RunningSubgraph } from './subgraph';
import { defineSubgraph, wireSubgraph, type SubgraphModule } from './service';
import { developmentGatewaySecret, type BaseConfig } from './config';
import type { DataSource } from 'typeorm';
import { appendEvents, InMemoryEventBus, type EventBus, type EventEnvelope } from '@commerce/events';
import { InMemoryLivePubSub, type LivePubSub } from '@commerce/pubsub';
import { postGraphQL, type GraphQLResponse } from './graphql-client';

export { postGraphQL };

/** The real Postgres the tests run against; a fresh database is made per test file. */
export const testServerUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const testConfig: BaseConfig = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATA_DIR: '.data/test',
  EVENTS_NAMESPACE: 'test',
  HOST: '127.0.0.1',
  JWT_SECRET: 'test-secret-of-sufficient-length',
  JWT_ISSUER: 'commerce-users',
  JWT_AUDIENCE: 'commerce-supergraph',
  JWT_ACCESS_TTL_SECONDS: 900,
  JWT_REFRESH_TTL_SECONDS: 86_400,
  // The default a subgraph has when GATEWAY_SUBGRAPH_SECRET is unset: tests also call subgraphs they start
  // in processes of their own, and the helpers below must sign requests those accept.
  GATEWAY_SUBGRAPH_SECRET: developmentGatewaySecret,
  SHUTDOWN_TIMEOUT_MS: 10_000,
  OUTBOX_RETENTION_HOURS: 24,
  INBOX_RETENTION_HOURS: 7 * 24,
  DATABASE_POOL_SIZE: 5,
  EVENTS_PREFETCH: 16,
  EVENTS_QUEUE_TYPE: 'quorum',
};

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(testServerUrl);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database of its own, so test files never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface TestSubgraph {
  dataSource: DataSource;
  server: RunningSubgraph;
  /**
   * Commits `events` to the subgraph's outbox in a transaction of their own,
   * as one of its writes would, and wakes its relay.
   */
  commit(events: EventEnvelope[]): Promise<void>;
  stop(): Promise<void>;
}

/** Runs a subgraph on port 0 against `databaseUrl`, migrated from empty. */
export async function startTestSubgraph(
  module: SubgraphModule<any>,
  databaseUrl: string,
  bus: EventBus = new InMemoryEventBus(),
  live: LivePubSub = new InMemoryLivePubSub({ namespace: testConfig.EVENTS_NAMESPACE }),
  revokedSessions?: RevokedSessions,
  /** Over testConfig, e.g. a JWT_PRIVATE_KEY. */
  config: Partial<BaseConfig> = {},
): Promise<TestSubgraph> {
  const subgraphConfig = { ...testConfig, ...config };
  const dataSource = await openDatabase({
    url: databaseUrl,
    schema: module.name,
    entities: module.entities,
    migrations: module.migrations,
    poolSize: 5,
  });
  const { deps, events } = await wireSubgraph(module, { dataSource, config: subgraphConfig, logger: createLogger(module.name, 'silent'), bus, live, revokedSessions });
  const server = await startSubgraph({ ...defineSubgraph(module, deps), gatewaySecret: subgraphConfig.GATEWAY_SUBGRAPH_SECRET } as never, 0);
  return {
    dataSource,
    server,
    async commit(events) {
      await dataSource.transaction((manager) => appendEvents(manager, module.name, events));
      deps.outbox.notify();
    },
    async stop() {
      await server.close();
      await events.stop();
      await dataSource.destroy();
    },
  };
}

export interface IsolatedSubgraph extends TestSubgraph {
  url: string;
  /** Sends an operation as `caller` (null: anonymous), with the headers the gateway would add. */
  call<T = Record<string, any>>(caller: Identity | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/** A subgraph on port 0 over a fresh database of its own, which stop() drops again. */
export async function startIsolatedSubgraph(
  module: SubgraphModule<any>,
  bus?: EventBus,
  live?: LivePubSub,
  revokedSessions?: RevokedSessions,
  config?: Partial<BaseConfig>,
): Promise<IsolatedSubgraph> {
  const database = await createTestDatabase();
  const subgraph = await startTestSubgraph(module, database.url, bus, live, revokedSessions, config);
  const url = subgraph.server.url;
  return {
    ...subgraph,
    url,
    call: (caller, query, variables = {}) => postGraphQL(url, query, variables, headersFor(caller)),
    async stop() {
      await subgraph.stop();
      await database.drop();
    },
  };
}

export interface LiveTestSubgraph extends IsolatedSubgraph {
  bus: InMemoryEventBus;
  live: InMemoryLivePubSub;
  /** Everything published on `channel` (without the namespace) from now on, in order. */
  heard(channel: string): Promise<unknown[]>;
}

/** An isolated subgraph with an in-process bus and live pub/sub of its own, for what it announces live; stop() closes them too. */
export async function startLiveTestSubgraph(module: SubgraphModule<any>): Promise<LiveTestSubgraph> {
  const bus = new InMemoryEventBus();
  const live = new InMemoryLivePubSub({ namespace: testConfig.EVENTS_NAMESPACE });
  const subgraph = await startIsolatedSubgraph(module, bus, live);
  return {
    ...subgraph,
    bus,
    live,
    async heard(channel) {
      const received: unknown[] = [];
      await live.subscribe(channel, (message) => received.push(message));
      return received;
    },
    async stop() {
      await subgraph.stop();
      await bus.close();
      await live.close();
    },
  };
}

/** Headers as the gateway sends them for a verified caller: signed, as a subgraph requires. */
export function headersFor(identity: Identity | null): Record<string, string> {
  return identity ? signedIdentityHeaders(identity, testConfig.GATEWAY_SUBGRAPH_SECRET) : {};
}

/** A token as the users subgraph would issue it, for gateway-level tests. */
export function tokenFor(identity: Identity): string {
  return signAccessToken(identity, {
    secret: testConfig.JWT_SECRET,
    issuer: testConfig.JWT_ISSUER,
    audience: testConfig.JWT_AUDIENCE,
  });
}

/** The `_entities` query exactly as the gateway sends it. */
export function entitiesQuery(typename: string, selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
}

/**
 * Asks about a subscription as the gateway does: whether `caller` may
 * subscribe (`{ authorize: true }`), or the root field for one published
 * message (`{ event }`).
 */
export async function askAsGateway(
  url: string,
  caller: Identity | null,
  query: string,
  variables: Record<string, unknown>,
  ask: { authorize: true } | { event: object },
): Promise<GraphQLResponse> {
  const extensions = 'event' in ask ? { subscriptionEvent: ask.event } : { subscriptionAuthorize: true };
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headersFor(caller) },
    body: JSON.stringify({ query, variables, extensions }),
  });
  return (await response.json()) as GraphQLResponse;
}

export type { BaseSubgraphContext };
export { type GraphQLResponse } from './graphql-client';
export { recordQueries, backgroundStatements } from './record-queries';
export { recordSpans, type ReadableSpan, type SpanRecording } from './span-recording';
export { parseMetrics, scrapeMetrics, MetricsScrape, type MetricSample } from './metrics-text';
