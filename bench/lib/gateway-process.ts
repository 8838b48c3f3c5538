/**
 * One gateway under test, in a process of its own so that it does not share
 * an event loop with the load generator or the subgraphs. Started by
 * bench/gateway.ts over IPC: `ours` is @commerce/gateway, `baseline` is plain
 * @apollo/gateway + @apollo/server with default settings, forwarding the same
 * signed identity headers so both do the same work. bench/subscriptions.ts starts
 * `ours` with a Redis live pub/sub, to serve subscriptions.
 */
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError } from 'graphql';
import { RedisLivePubSub } from '@commerce/pubsub';
import { developmentGatewaySecret, type Identity, signedIdentityHeaders, verifyAccessToken, type JwtSettings } from '@commerce/service-kit';
import { createGateway, withEnforcedSecurityFeatures, type SubscriptionStats } from '@commerce/gateway';

/** `ours-nodedup` is ours with in-flight deduplication off, to show what the rest of the work buys. */
export type GatewayKind = 'ours' | 'ours-nodedup' | 'baseline';
export const gatewayKinds: readonly GatewayKind[] = ['ours', 'ours-nodedup', 'baseline'];

export interface GatewayProcessConfig {
  kind: GatewayKind;
  supergraphPath: string;
  subgraphUrls: Record<string, string>;
  jwt: JwtSettings;
  /** Serve subscriptions from this Redis and namespace (ours only). */
  live?: { url: string; namespace: string };
}

/** `gc` collects garbage first when the process runs with --expose-gc, so memory readings compare live objects. */
export type ParentMessage = { type: 'start'; config: GatewayProcessConfig } | { type: 'stats'; gc?: boolean } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; url: string }
  | {
      type: 'stats';
      rss: number;
      heapUsed: number;
      cpuMicros: number;
      dedup: { started: number; joined: number } | null;
      subscriptions: SubscriptionStats | null;
    }
  | { type: 'failed'; error: string };

interface Running {
  url: string;
  close(): Promise<void>;
  dedup(): { started: number; joined: number } | null;
  subscriptions(): SubscriptionStats | null;
}

async function startOurs(config: GatewayProcessConfig): Promise<Running> {
  const live = config.live ? await RedisLivePubSub.connect(config.live) : undefined;
  const gateway = await createGateway({
    supergraphSdl: await readFile(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    jwt: config.jwt,
    production: true,
    port: 0,
    deduplicate: config.kind !== 'ours-nodedup',
    live,
  }).catch(async (error: unknown) => {
    await live?.close();
    throw error;
  });
  return {
    url: gateway.url,
    async close() {
      await gateway.close();
      await live?.close();
    },
    dedup: () => {
      const total = { started: 0, joined: 0 };
      for (const ds of gateway.dataSources.values()) {
        total.started += ds.inflight.stats.started;
        total.joined += ds.inflight.stats.joined;
      }
      return total;
    },
    subscriptions: () => (live ? gateway.subscriptionStats() : null),
  };
}

interface BaselineContext {
  identity: Identity | null;
}

/** Subgraphs believe only identity headers signed with the secret they share with the gateway; ours (createGateway above) signs with the same default. */
class BaselineDataSource extends RemoteGraphQLDataSource<BaselineContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<BaselineContext>['willSendRequest']>>[0]) {
    const identity = (context as BaselineContext).identity;
    if (identity && request.http) {
      // Signed per fetch, as IdentityForwardingDataSource does: a signature is good for a minute only.
      for (const [name, value] of Object.entries(signedIdentityHeaders(identity, developmentGatewaySecret))) request.http.headers.set(name, value);
    }
  }
}

async function startBaseline(config: GatewayProcessConfig): Promise<Running> {
  const server = new ApolloServer<BaselineContext>({
    gateway: new ApolloGateway({
      // @apollo/gateway refuses a supergraph whose @authenticated/@requiresScopes links are `for: SECURITY`;
      // the baseline serves it as ours does, without enforcing them (the benchmark's operations need neither).
      supergraphSdl: withEnforcedSecurityFeatures(await readFile(config.supergraphPath, 'utf8')),
      buildService: ({ name, url }) => new BaselineDataSource({ url: config.subgraphUrls[name] ?? url }),
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }: { req: IncomingMessage }) => {
      const header = req.headers.authorization;
      if (!header) return { identity: null };
      const identity = verifyAccessToken(header.replace(/^Bearer\s+/i, ''), config.jwt);
      if (!identity) throw new GraphQLError('Invalid token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      return { identity };
    },
  });
  return { url: new URL('/graphql', url).toString(), close: () => server.stop(), dedup: () => null, subscriptions: () => null };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

let running: Running | null = null;

async function stop(): Promise<void> {
  await running?.close().catch(() => undefined);
  // A normal exit, so that --cpu-prof writes its profile.
  process.exit(0);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') {
    const start = message.config.kind === 'baseline' ? startBaseline : startOurs;
    start(message.config).then(
      (started) => {
        running = started;
        send({ type: 'ready', url: started.url });
      },
      (error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  } else if (message.type === 'stats') {
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    send({
      type: 'stats',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      cpuMicros: cpu.user + cpu.system,
      dedup: running?.dedup() ?? null,
      subscriptions: running?.subscriptions() ?? null,
    });
  } else {
    void stop();
  }
});
process.on('SIGTERM', () => void stop());
// The benchmark died: do not outlive it.
process.on('disconnect', () => void stop());
