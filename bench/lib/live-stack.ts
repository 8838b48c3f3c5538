import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RedisLivePubSub } from '@commerce/pubsub';
import type { JwtSettings } from '@commerce/service-kit';
import { createTestDatabase } from '@commerce/service-kit/testing';
import { startGatewayProcess, type GatewayChild } from './children';
import { GatewayGroup } from './gateway-group';
import { startSubgraphs, type BenchSubgraph } from './subgraphs';

/** What the subscription benchmarks run against: subgraphs here, K gateway processes, Redis, and where everyone runs. */
export interface LiveStack {
  subgraphs: BenchSubgraph[];
  byName: Record<string, BenchSubgraph>;
  gateway: GatewayGroup;
  publisher: RedisLivePubSub;
  namespace: string;
  /** The one gateway's cpu when it is pinned (one gateway on two or more cores), else null. */
  gatewayCpu: number | null;
  /** `taskset -c` list this process and the subscriber processes are pinned to, or null (unpinned). */
  benchCpus: string | null;
}

export const benchJwt: JwtSettings = { secret: 'benchmark-secret-of-sufficient-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };

/** Pins this process (every thread) to `cpus`. */
function pinSelf(cpus: string | null): void {
  if (cpus !== null && existsSync('/usr/bin/taskset')) execFileSync('/usr/bin/taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/**
 * A fresh database with every subgraph in this process, then `gateways`
 * gateway processes (one is pinned to the last core and this process, with
 * the subscribers, to the others; several share every core, as a cluster
 * would) on one Redis namespace, and a publisher on it. Every step pushes
 * its own cleanup onto `cleanups`.
 */
export async function startLiveStack(options: {
  gateways: number;
  redisUrl: string;
  profileDir?: string;
  cleanups: (() => Promise<void>)[];
}): Promise<LiveStack> {
  const { cleanups } = options;
  const namespace = `bench-subs-${randomBytes(4).toString('hex')}`;
  const root = path.resolve(__dirname, '../..');
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const started = await startSubgraphs(database.url);
  cleanups.push(() => started.stop());
  const byName = Object.fromEntries(started.running.map((s) => [s.name, s]));

  // Rate limits are not what is measured: thousands of subscribes come from few users in a few seconds.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-live-'));
  cleanups.push(() => rm(scratch, { recursive: true, force: true }));
  const clientsPath = path.join(scratch, 'clients.json');
  await writeFile(clientsPath, JSON.stringify({ anonymous: { mode: 'ALLOW', rateLimit: { perMinute: 100_000_000, perUserPerMinute: 100_000_000 } } }));

  const gatewayCpu = options.gateways === 1 && os.cpus().length >= 2 ? os.cpus().length - 1 : null;
  const members: GatewayChild[] = [];
  cleanups.push(() => Promise.all(members.map((member) => member.stop())).then(() => undefined));
  for (let k = 0; k < options.gateways; k++) {
    members.push(
      await startGatewayProcess(
        {
          kind: 'ours',
          supergraphPath: path.join(root, 'schema/supergraph.graphql'),
          subgraphUrls: Object.fromEntries(started.running.map((s) => [s.name, s.server.url])),
          jwt: benchJwt,
          clientsPath,
          live: { url: options.redisUrl, namespace },
        },
        // --expose-gc: memory is read after a full collection, so garbage does not count as connections.
        { cpu: gatewayCpu, nodeFlags: ['--expose-gc'], profileDir: options.profileDir },
      ),
    );
  }
  const benchCpus = gatewayCpu === null || gatewayCpu < 1 ? null : gatewayCpu === 1 ? '0' : `0-${gatewayCpu - 1}`;
  pinSelf(benchCpus);
  const publisher = await RedisLivePubSub.connect({ url: options.redisUrl, namespace });
  cleanups.push(() => publisher.close());
  return { subgraphs: started.running, byName, gateway: new GatewayGroup(members), publisher, namespace, gatewayCpu, benchCpus };
}
