import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { AmqpEventBus, domainEvent } from '@commerce/events';
import { eventually } from '@commerce/service-kit';
import { createTestDatabase, headersFor, testConfig, type TestDatabase } from '@commerce/service-kit/testing';
import { Client } from 'pg';
import { deleteBrokerNamespace, testAmqpUrl, testRedisUrl } from './support/stack';

/**
 * SIGTERM to a real subgraph process (orders, on Postgres and RabbitMQ) while
 * it answers a stream of writes and consumes a burst of events: every
 * request it accepted is answered and committed, every event is either
 * handled or still queued for the next instance (none unacknowledged, none
 * pushed to a retry), and its outbox is drained before it exits.
 */

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

let database: TestDatabase;
let namespace: string;
let bus: AmqpEventBus;
let child: ChildProcess | null = null;
/** What the orders processes logged at warn level or above: a clean shutdown logs no failure. */
const troubles: { msg?: string; queue?: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  namespace = `test-${randomBytes(4).toString('hex')}`;
  bus = await AmqpEventBus.connect({ url: testAmqpUrl, namespace });
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await bus?.close();
  await database?.drop();
  if (namespace) await deleteBrokerNamespace(namespace);
});

/** Starts orders in its own process and resolves with its URL once it listens. */
function startOrdersProcess(): Promise<{ url: string; exited: Promise<number | null> }> {
  // Node itself (with tsx as a loader) rather than the tsx CLI, so the signal reaches the service and not a wrapper.
  const processed = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/orders/src/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      AMQP_URL: testAmqpUrl,
      REDIS_URL: testRedisUrl,
      EVENTS_NAMESPACE: namespace,
      JWT_SECRET: testConfig.JWT_SECRET,
      SHUTDOWN_TIMEOUT_MS: '20000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = processed;
  const exited = new Promise<number | null>((resolve) => processed.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    processed.once('exit', (code) => reject(new Error(`orders exited with ${code} before listening`)));
    createInterface({ input: processed.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { url?: string; msg?: string; level?: number; queue?: string };
      if ((entry.level ?? 0) >= 40) troubles.push(entry);
      if (entry.msg === 'orders subgraph ready' && entry.url) resolve({ url: entry.url, exited });
    });
  });
}

async function queueDepths(): Promise<Record<string, { ready: number; unacked: number }>> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '--quiet', '--no-table-headers', 'name', 'messages_ready', 'messages_unacknowledged'], {
    timeout: 60_000,
  });
  const depths: Record<string, { ready: number; unacked: number }> = {};
  for (const line of stdout.split('\n')) {
    const [name, ready, unacked] = line.trim().split(/\s+/);
    if (name?.startsWith(`${namespace}.`)) depths[name.slice(namespace.length + 1)] = { ready: Number(ready), unacked: Number(unacked) };
  }
  return depths;
}

async function count(sql: string): Promise<number> {
  const client = new Client(database.url);
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function stopProcess(started: { exited: Promise<number | null> }): Promise<number | null> {
  child!.kill('SIGTERM');
  return started.exited;
}

it('finishes accepted requests, hands back unhandled events and drains its outbox on SIGTERM', async () => {
  const ownerId = randomUUID();
  const shopId = randomUUID();
  const productId = randomUUID();
  const burstProducts = `SELECT count(*) AS n FROM orders.catalog_products WHERE shop_id = '${shopId}' AND product_id <> '${productId}'`;

  // A first instance declares the queues and learns the shop and its product, then stops.
  const first = await startOrdersProcess();
  await bus.publish(domainEvent('catalog.shop.changed', shopId, { shopId, ownerId, name: 'Shutdown shop' }));
  await bus.publish(domainEvent('catalog.product.changed', productId, { productId, shopId, name: 'Bread', priceCents: 250 }));
  await eventually(async () => expect(await count(`SELECT count(*) AS n FROM orders.catalog_products WHERE product_id = '${productId}'`)).toBe(1));
  expect(await stopProcess(first)).toBe(0);

  // A backlog waits for the next instance, which is signalled while it works through it.
  const burst = 1_000;
  for (let i = 0; i < burst; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, j) => {
        const id = randomUUID();
        return bus.publish(domainEvent('catalog.product.changed', id, { productId: id, shopId, name: `Item ${i + j}`, priceCents: 100 + i + j }));
      }),
    );
  }
  const second = await startOrdersProcess();

  // Writers, each as its own customer, sending orders until the server stops answering.
  const customers = Array.from({ length: 8 }, () => randomUUID());
  const answered = new Map<string, number>();
  let signalled = false;
  const writer = async (customerId: string) => {
    answered.set(customerId, 0);
    for (;;) {
      try {
        const response = await fetch(second.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headersFor({ userId: customerId, role: 'CUSTOMER' }) },
          body: JSON.stringify({
            query: 'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
            variables: { input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '1 Quay St', cardToken: 'tok_visa' } },
          }),
        });
        const body = (await response.json()) as { data?: { placeOrder?: { id: string } }; errors?: unknown[] };
        expect(body.errors).toBeUndefined();
        answered.set(customerId, answered.get(customerId)! + 1);
      } catch (error) {
        // Only once the signal is sent may the server refuse a connection or close one it did not answer on.
        if (!signalled || (error as Error).name === 'JestAssertionError') throw error;
        return;
      }
    }
  };
  const writing = Promise.all(customers.map(writer));
  const total = () => [...answered.values()].reduce((a, b) => a + b, 0);
  await eventually(async () => {
    expect(total()).toBeGreaterThan(8);
    expect(await count(burstProducts)).toBeGreaterThan(20);
  });

  signalled = true;
  expect(await stopProcess(second)).toBe(0);
  await writing;

  // Every accepted request: answered exactly when its order was committed.
  const committed = await count(`SELECT count(*) AS n FROM orders.orders WHERE customer_id IN (${customers.map((c) => `'${c}'`).join(',')})`);
  expect(committed).toBe(total());
  // The outbox went out before the process did.
  expect(await count('SELECT count(*) AS n FROM orders.outbox WHERE published_at IS NULL')).toBe(0);
  // Each backlog event was handled or is still queued, none is held unacknowledged, and none was pushed into a retry.
  const handled = await count(burstProducts);
  expect(handled).toBeLessThan(burst);
  // Quorum queues report their counts to rabbitmqctl every few seconds, not as they change.
  await eventually(async () => {
    const depths = await queueDepths();
    expect(depths['orders.catalog-events']).toEqual({ ready: burst - handled, unacked: 0 });
    for (const [name, depth] of Object.entries(depths)) {
      if (name.startsWith('orders.catalog-events.')) expect([name, depth]).toEqual([name, { ready: 0, unacked: 0 }]);
    }
  });

  // No handler was failed by the shutdown (a failure would send its event through a retry queue).
  expect(troubles).toEqual([]);

  // The next instance takes the rest.
  const third = await startOrdersProcess();
  await eventually(async () => expect(await count(burstProducts)).toBe(burst));
  expect(await stopProcess(third)).toBe(0);
});
