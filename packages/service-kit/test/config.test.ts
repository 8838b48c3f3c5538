import { z } from 'zod';
import { baseEnv, ConfigError, loadConfig, portVariable } from '../src/config';

describe('loadConfig', () => {
  it('applies the defaults when nothing is set', () => {
    const config = loadConfig({ ...baseEnv, PORT: portVariable(4001) }, {});
    expect(config).toMatchObject({ PORT: 4001, NODE_ENV: 'development', HOST: '127.0.0.1', EVENTS_NAMESPACE: 'commerce' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one error, not just the first', () => {
    const attempt = () =>
      loadConfig(
        { ...baseEnv, PORT: portVariable(4001), EXTRA: z.string() },
        { PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud', JWT_SECRET: 'short' },
      );
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const names = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(names.sort()).toEqual(['DATABASE_URL', 'EXTRA', 'JWT_SECRET', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('takes REDIS_URL as one server, Sentinels or a cluster, and refuses anything else naming the forms', () => {
    for (const url of ['redis://127.0.0.1:6379/1', 'rediss://:pw@cache:6380', 'redis-sentinel://s1:26379,s2:26379/commerce', 'redis-cluster://n1:7000,n2:7001']) {
      expect(loadConfig(baseEnv, { REDIS_URL: url }).REDIS_URL).toBe(url);
    }
    expect(() => loadConfig(baseEnv, { REDIS_URL: 'redis-sentinel://s1:26379' })).toThrow(/REDIS_URL[\s\S]*master name[\s\S]*redis-cluster:\/\//);
  });

  it('declares quorum queues unless told classic, and refuses other types', () => {
    expect(loadConfig(baseEnv, {}).EVENTS_QUEUE_TYPE).toBe('quorum');
    expect(loadConfig(baseEnv, { EVENTS_QUEUE_TYPE: 'classic' }).EVENTS_QUEUE_TYPE).toBe('classic');
    expect(() => loadConfig(baseEnv, { EVENTS_QUEUE_TYPE: 'stream' })).toThrow(/EVENTS_QUEUE_TYPE/);
  });

  it('keeps published outbox rows a day and inbox rows a week unless told otherwise, and refuses less than an hour', () => {
    expect(loadConfig(baseEnv, {})).toMatchObject({ OUTBOX_RETENTION_HOURS: 24, INBOX_RETENTION_HOURS: 168 });
    expect(loadConfig(baseEnv, { OUTBOX_RETENTION_HOURS: '1', INBOX_RETENTION_HOURS: '720' })).toMatchObject({
      OUTBOX_RETENTION_HOURS: 1,
      INBOX_RETENTION_HOURS: 720,
    });
    expect(() => loadConfig(baseEnv, { OUTBOX_RETENTION_HOURS: '0', INBOX_RETENTION_HOURS: 'a week' })).toThrow(
      /OUTBOX_RETENTION_HOURS[\s\S]*INBOX_RETENTION_HOURS/,
    );
  });

  it('refuses the development JWT and gateway secrets in production, naming each', () => {
    expect(() => loadConfig(baseEnv, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET[\s\S]*GATEWAY_SUBGRAPH_SECRET/);
    expect(() => loadConfig(baseEnv, { NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-some-length' })).toThrow(/GATEWAY_SUBGRAPH_SECRET/);
    const real = { JWT_SECRET: 'a-real-secret-of-some-length', GATEWAY_SUBGRAPH_SECRET: 'another-real-secret-of-some-length' };
    expect(loadConfig(baseEnv, { NODE_ENV: 'production', ...real }).NODE_ENV).toBe('production');
  });
});
