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

  it('refuses the development JWT secret in production', () => {
    expect(() => loadConfig(baseEnv, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig(baseEnv, { NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-some-length' }).NODE_ENV).toBe('production');
  });
});
