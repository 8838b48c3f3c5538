import { runSubgraph, type RunningService } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/testing';
import { catalogSubgraph } from '@commerce/catalog';
import { OwnRedisServer } from '@commerce/pubsub/testing';

let database: TestDatabase;
let redis: OwnRedisServer;
let service: RunningService;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await OwnRedisServer.start();
  service = await runSubgraph(catalogSubgraph, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    READY_REQUIRES: 'redis',
    EVENTS_NAMESPACE: `ready-${Date.now()}`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    APOLLO_TELEMETRY_DISABLED: 'true',
  });
});

afterAll(async () => {
  await service?.stop();
  await redis?.kill();
  await database?.drop();
});

async function status(path: string): Promise<{ status: number; body: { status: string; reasons?: Record<string, string>; degraded?: Record<string, string> } }> {
  const response = await fetch(new URL(path, service.subgraph.url), { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: (await response.json()) as never };
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('health probes of a subgraph that requires Redis to be ready', () => {
  it('answers ready and live while its dependencies answer', async () => {
    expect(await status('/health/ready')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await status('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('turns unready while Redis is down, stays live, and is ready again once Redis is back, without a restart', async () => {
    await redis.kill();
    const down = await until(() => status('/health/ready'), (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.reasons?.redis).toMatch(/Redis/);
    // Liveness checks no dependency; /health keeps its meaning (Redis is degraded, not fatal).
    expect((await status('/health/live')).status).toBe(200);
    const health = await status('/health');
    expect(health.status).toBe(200);
    expect(health.body.degraded?.redis).toMatch(/Redis/);

    await redis.restart();
    const back = await until(() => status('/health/ready'), (r) => r.status === 200);
    expect(back).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
