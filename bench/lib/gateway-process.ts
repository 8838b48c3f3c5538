/**
 * One gateway under test, in a process of its own so that it does not share
 * an event loop with the load generator or the subgraphs. Started by
 * bench/gateway.ts over IPC: `ours` is @commerce/gateway, `baseline` is plain
 * @apollo/gateway + @apollo/server with default settings, forwarding the same
 * identity headers so both do the same work.
 */
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError } from 'graphql';
import { identityHeaders, type Identity } from '@commerce/service-kit/src/identity';
import { verifyAccessToken, type JwtSettings } from '@commerce/service-kit/src/jwt';
import { createGateway } from '../../gateway/src/server';

/** `ours-nodedup` is ours with in-flight deduplication off, to show what the rest of the work buys. */
export type GatewayKind = 'ours' | 'ours-nodedup' | 'baseline';
export const gatewayKinds: readonly GatewayKind[] = ['ours', 'ours-nodedup', 'baseline'];

export interface GatewayProcessConfig {
  kind: GatewayKind;
  supergraphPath: string;
  subgraphUrls: Record<string, string>;
  jwt: JwtSettings;
}

export type ParentMessage = { type: 'start'; config: GatewayProcessConfig } | { type: 'stats' } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'stats'; rss: number; cpuMicros: number; dedup: { started: number; joined: number } | null }
  | { type: 'failed'; error: string };

interface Running {
  url: string;
  close(): Promise<void>;
  dedup(): { started: number; joined: number } | null;
}

async function startOurs(config: GatewayProcessConfig): Promise<Running> {
  const gateway = await createGateway({
    supergraphSdl: await readFile(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    jwt: config.jwt,
    production: true,
    port: 0,
    deduplicate: config.kind !== 'ours-nodedup',
  });
  return {
    url: gateway.url,
    close: () => gateway.close(),
    dedup: () => {
      const total = { started: 0, joined: 0 };
      for (const ds of gateway.dataSources.values()) {
        total.started += ds.inflight.stats.started;
        total.joined += ds.inflight.stats.joined;
      }
      return total;
    },
  };
}

interface BaselineContext {
  identity: Identity | null;
}

class BaselineDataSource extends RemoteGraphQLDataSource<BaselineContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<BaselineContext>['willSendRequest']>>[0]) {
    const identity = (context as BaselineContext).identity;
    if (identity && request.http) {
      request.http.headers.set(identityHeaders.userId, identity.userId);
      request.http.headers.set(identityHeaders.role, identity.role);
    }
  }
}

async function startBaseline(config: GatewayProcessConfig): Promise<Running> {
  const server = new ApolloServer<BaselineContext>({
    gateway: new ApolloGateway({
      supergraphSdl: await readFile(config.supergraphPath, 'utf8'),
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
  return { url: new URL('/graphql', url).toString(), close: () => server.stop(), dedup: () => null };
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
    const cpu = process.cpuUsage();
    send({ type: 'stats', rss: process.memoryUsage().rss, cpuMicros: cpu.user + cpu.system, dedup: running?.dedup() ?? null });
  } else {
    void stop();
  }
});
process.on('SIGTERM', () => void stop());
// The benchmark died: do not outlive it.
process.on('disconnect', () => void stop());
