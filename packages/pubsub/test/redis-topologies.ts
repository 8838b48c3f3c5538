import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, OwnRedisServer } from '../src/testing';

const run = promisify(execFile);

/** A set of own redis-server processes in a temporary directory, reachable by one REDIS_URL. */
export interface RedisTopology {
  url: string;
  stop(): Promise<void>;
}

async function stopAll(servers: OwnRedisServer[], directory: string): Promise<void> {
  for (const server of servers) await server.kill();
  await rm(directory, { recursive: true, force: true });
}

/** A master and one Sentinel watching it (quorum 1), as `redis-sentinel://127.0.0.1:<sentinel>/<name>`. */
export async function startSentinel(name = 'commerce'): Promise<RedisTopology> {
  const directory = await mkdtemp(path.join(tmpdir(), 'sentinel-'));
  const servers: OwnRedisServer[] = [];
  try {
    const master = await OwnRedisServer.start();
    servers.push(master);
    // Sentinel rewrites its configuration file, so it gets one of its own.
    const configFile = path.join(directory, 'sentinel.conf');
    await writeFile(configFile, `sentinel monitor ${name} 127.0.0.1 ${master.port} 1\n`);
    const sentinel = await OwnRedisServer.start({ configFile, args: ['--sentinel'], readyLine: `+monitor master ${name}` });
    servers.push(sentinel);
    return { url: `redis-sentinel://127.0.0.1:${sentinel.port}/${name}`, stop: () => stopAll(servers, directory) };
  } catch (error) {
    await stopAll(servers, directory);
    throw error;
  }
}

/** Three masters sharing the 16384 slots, no replicas, as `redis-cluster://<node>,<node>,<node>`. */
export async function startCluster(): Promise<RedisTopology> {
  const directory = await mkdtemp(path.join(tmpdir(), 'cluster-'));
  const servers: OwnRedisServer[] = [];
  try {
    for (let node = 0; node < 3; node++) {
      // The cluster bus gets a free port of its own: the default (port + 10000) may not exist.
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(directory, `nodes-${randomBytes(4).toString('hex')}.conf`), '--cluster-port', String(await freePort())];
      servers.push(await OwnRedisServer.start({ args }));
    }
    const nodes = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-yes'], { timeout: 60_000 });
    // The tool returns once every slot is assigned; each node agrees a little later.
    for (const server of servers) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(server.port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return { url: `redis-cluster://${nodes.join(',')}`, stop: () => stopAll(servers, directory) };
  } catch (error) {
    await stopAll(servers, directory);
    throw error;
  }
}
