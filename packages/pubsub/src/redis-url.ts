/** One Redis server, Sentinel or cluster node. */
export interface RedisNode {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
}

/**
 * Where REDIS_URL points:
 * - `redis://[[user]:password@]host[:port][/db]`, `rediss://…` (TLS): one server.
 * - `redis-sentinel://[[user]:password@]host1[:26379],host2[:26379]/<master name>[/db]`:
 *   the master the Sentinels name, followed across failovers. The credentials
 *   are the master's (and its replicas'); the Sentinels themselves take none.
 * - `redis-cluster://[[user]:password@]host1[:6379],host2[:6379]`: a Redis
 *   Cluster, reached through any of the seed nodes listed (database 0 only).
 */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | ({ kind: 'sentinel'; sentinels: RedisNode[]; name: string; db: number } & Credentials)
  | ({ kind: 'cluster'; nodes: RedisNode[] } & Credentials);

export const redisUrlForms =
  'redis://host:port/db, rediss://host:port/db, redis-sentinel://[:password@]host:port,host:port/<master name>[/db] or redis-cluster://[:password@]host:port,host:port';

function fail(url: string, why: string): never {
  // The URL may carry a password: it is not repeated.
  throw new Error(`Invalid Redis URL (${why}) ${url.replace(/\/\/[^@/]*@/, '//***@')}; expected ${redisUrlForms}`);
}

function parseNodes(url: string, list: string, defaultPort: number): RedisNode[] {
  return list.split(',').map((entry) => {
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(entry.trim());
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    if (!match || port < 1 || port > 65_535) fail(url, `bad host "${entry}"`);
    return { host: (match[1] ?? match[2])!, port };
  });
}

function parseDb(url: string, text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,2}$/.test(text)) fail(url, `bad database "${text}"`);
  return Number(text);
}

/** Reads REDIS_URL in any of its forms (see {@link RedisTarget}); throws saying which forms exist. */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^([a-z-]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]*)(?:\/([^?#]*))?$/i.exec(url);
  if (!match) fail(url, 'not a URL');
  const [, scheme, user, password, hosts, path] = match;
  const credentials: Credentials = {
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
  switch (scheme!.toLowerCase()) {
    case 'redis':
    case 'rediss':
      if (hosts!.includes(',')) fail(url, 'several hosts: use redis-sentinel:// or redis-cluster://');
      parseNodes(url, hosts!, 6379);
      parseDb(url, path);
      return { kind: 'server', url };
    case 'redis-sentinel': {
      const [name, db, ...rest] = (path ?? '').split('/');
      if (!name || rest.length > 0) fail(url, 'the master name must follow the Sentinels, as /<master name>[/db]');
      return { kind: 'sentinel', sentinels: parseNodes(url, hosts!, 26379), name: decodeURIComponent(name), db: parseDb(url, db), ...credentials };
    }
    case 'redis-cluster':
      if (path) fail(url, 'a cluster has no database to choose');
      return { kind: 'cluster', nodes: parseNodes(url, hosts!, 6379), ...credentials };
    default:
      return fail(url, `unknown scheme ${scheme}:`);
  }
}

/** For configuration schemas: the problem with `url`, or null when it is one of the forms. */
export function redisUrlProblem(url: string): string | null {
  try {
    parseRedisUrl(url);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
