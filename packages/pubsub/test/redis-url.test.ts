import { parseRedisUrl, redisUrlProblem } from '../src';

describe('parseRedisUrl', () => {
  it('leaves one-server URLs to ioredis as they are', () => {
    for (const url of ['redis://127.0.0.1:6379', 'redis://:secret@redis:6379/2', 'rediss://user:secret@cache.example.com:6380/0', 'redis://localhost']) {
      expect(parseRedisUrl(url)).toEqual({ kind: 'server', url });
    }
  });

  it('reads Sentinels, the master name and the database, with the default Sentinel port', () => {
    expect(parseRedisUrl('redis-sentinel://:s%40cret@s1:26380,s2,[::1]:26381/mymaster/3')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26381 },
      ],
      name: 'mymaster',
      db: 3,
      password: 's@cret',
    });
    expect(parseRedisUrl('redis-sentinel://app:pw@s1:26379/cache')).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'cache',
      db: 0,
      username: 'app',
      password: 'pw',
    });
  });

  it('reads cluster seed nodes, with the default port', () => {
    expect(parseRedisUrl('redis-cluster://n1:7000,n2:7001,n3')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
        { host: 'n3', port: 6379 },
      ],
    });
    expect(parseRedisUrl('redis-cluster://:pw@n1:7000')).toMatchObject({ kind: 'cluster', password: 'pw' });
  });

  it.each([
    ['redis-sentinel://s1:26379', /master name/],
    ['redis-sentinel://s1:26379/mymaster/x', /bad database/],
    ['redis-sentinel://s1:26379/mymaster/0/extra', /master name/],
    ['redis-cluster://n1:7000/1', /no database/],
    ['redis-cluster://n1:99999', /bad host/],
    ['redis://a:6379,b:6379', /several hosts/],
    ['memcached://m:11211', /unknown scheme/],
    ['127.0.0.1:6379', /not a URL/],
  ])('refuses %s, naming the forms it takes', (url, why) => {
    expect(() => parseRedisUrl(url)).toThrow(why);
    expect(redisUrlProblem(url)).toContain('redis-sentinel://');
  });

  it('does not repeat the password of a URL it refuses', () => {
    expect(redisUrlProblem('redis-cluster://:hunter2@n1:7000/1')).not.toContain('hunter2');
  });
});
