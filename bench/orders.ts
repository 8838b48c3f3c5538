/**
 * `npm run bench:orders`: orders per second through the whole saga, from
 * placeOrder at the gateway to CONFIRMED (stock reserved, payment authorized),
 * on real Postgres and RabbitMQ. Closed loop: each of BENCH_CONCURRENCY
 * customers places an order, waits for its confirmation, and places the next,
 * for BENCH_SECONDS. The whole stack runs in this process, as the quickstart
 * does; Postgres and RabbitMQ have the other core. Writes bench/results/orders-*.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { orderStatusChanged, type EventEnvelope } from '@commerce/events';
import { postGraphQL } from '@commerce/service-kit';
import { createTestDatabase } from '@commerce/service-kit/testing';
import { startStack } from '../scripts/stack';
import { deleteBrokerNamespace } from '../test/support/stack';
import { machine, versions } from './lib/environment';

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const root = path.resolve(__dirname, '..');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const result = await postGraphQL(url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function signUp(url: string, role: string): Promise<string> {
  const email = `${role.toLowerCase()}-${randomBytes(5).toString('hex')}@bench.example`;
  const data = await gql(url, `mutation ($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email, password: 'password123', name: role, role } });
  return data.signUp.token;
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const namespace = `bench-${randomBytes(4).toString('hex')}`;
  const stack = await startStack({ LOG_LEVEL: 'warn', DATABASE_URL: database.url, AMQP_URL: amqpUrl, EVENTS_NAMESPACE: namespace }, 'ephemeral');
  const url = stack.gatewayUrl;
  // Resolves the wait of whoever placed the order, when the saga settles it.
  const settled = new Map<string, (status: string) => void>();
  await stack.bus.subscribe({
    queue: 'bench.order-status',
    bindings: ['order.status_changed'],
    handle: async (event: EventEnvelope) => {
      const change = orderStatusChanged.parse(event.payload);
      if (change.to === 'CONFIRMED' || change.to === 'REJECTED') settled.get(change.orderId)?.(change.to);
    },
  });
  try {
    const owner = await signUp(url, 'SHOP_OWNER');
    const shopId = (await gql(url, `mutation { createShop(input: { name: "Bench shop" }) { id } }`, {}, owner)).createShop.id;
    const productIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const input = { shopId, name: `Bench product ${i}`, priceCents: 100 + i, stock: 1_000_000 };
      productIds.push((await gql(url, `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, owner)).createProduct.id);
    }
    const customers = await Promise.all(Array.from({ length: concurrency }, () => signUp(url, 'CUSTOMER')));

    const placeAndWait = async (token: string, n: number) => {
      const started = performance.now();
      const input = {
        shopId,
        items: [{ productId: productIds[n % productIds.length], quantity: 1 }, { productId: productIds[(n + 1) % productIds.length], quantity: 2 }],
        deliveryAddress: '1 Bench Street',
        cardToken: 'tok_visa',
      };
      const result = await postGraphQL(url, `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input }, { authorization: `Bearer ${token}` });
      const id = result.data?.placeOrder?.id as string | undefined;
      if (!id) return null;
      const placedMs = performance.now() - started;
      const status = await new Promise<string>((resolve) => settled.set(id, resolve));
      settled.delete(id);
      return { placedMs, settledMs: performance.now() - started, status };
    };

    // Warm-up: the first order of each customer waits for orders' read model of the catalog.
    const until = async (token: string) => {
      for (;;) if (await placeAndWait(token, 0)) return;
    };
    await Promise.all(customers.map(until));

    const samples: { placedMs: number; settledMs: number; status: string }[] = [];
    let failed = 0;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const deadline = startedAt + seconds * 1000;
    await Promise.all(
      customers.map(async (token, worker) => {
        for (let n = worker; performance.now() < deadline; n += concurrency) {
          const sample = await placeAndWait(token, n);
          if (sample) samples.push(sample);
          else failed += 1;
        }
      }),
    );
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const settledSorted = samples.map((s) => s.settledMs).sort((a, b) => a - b);
    const placedSorted = samples.map((s) => s.placedMs).sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      settings: { seconds, concurrency, itemsPerOrder: 2 },
      machine: machine(),
      versions: versions(['@apollo/gateway', '@apollo/server', 'amqplib', 'typeorm', 'pg']),
      ordersConfirmed: samples.filter((s) => s.status === 'CONFIRMED').length,
      ordersRejected: samples.filter((s) => s.status === 'REJECTED').length,
      placeOrderFailures: failed,
      ordersPerSecond: samples.length / wallSeconds,
      placeToConfirmedMs: { p50: percentile(settledSorted, 50), p99: percentile(settledSorted, 99), max: settledSorted.at(-1) ?? NaN },
      placeOrderResponseMs: { p50: percentile(placedSorted, 50), p99: percentile(placedSorted, 99) },
      stackCpuSecondsPerSecond: (cpu.user + cpu.system) / 1e6 / wallSeconds,
      peakRssMb: Math.round(process.memoryUsage().rss / 1e6),
    };
    const dir = path.join(root, 'bench/results');
    await mkdir(dir, { recursive: true });
    const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
    await writeFile(path.join(dir, `orders-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(path.join(dir, 'orders-latest.md'), markdown(result));
    console.log(markdown(result));
  } finally {
    await stack.stop();
    await database.drop();
    await deleteBrokerNamespace(namespace);
  }
}

function markdown(r: {
  date: string;
  settings: Record<string, unknown>;
  machine: ReturnType<typeof machine>;
  versions: Record<string, string>;
  ordersConfirmed: number;
  ordersRejected: number;
  placeOrderFailures: number;
  ordersPerSecond: number;
  placeToConfirmedMs: { p50: number; p99: number; max: number };
  placeOrderResponseMs: { p50: number; p99: number };
  stackCpuSecondsPerSecond: number;
  peakRssMb: number;
}): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return `# Order saga benchmark — ${r.date}

placeOrder at the gateway → \`order.placed\` → stock reserved (catalog) → payment authorized (payments) → CONFIRMED (orders), over real Postgres and RabbitMQ, closed loop with ${r.settings.concurrency} customers for ${r.settings.seconds} s, two items per order. The whole stack runs in one Node process (one core); Postgres and RabbitMQ share the other.

| orders/s (placed → CONFIRMED) | p50 | p99 | max | placeOrder response p50 / p99 | confirmed | rejected | failed | stack CPU (cores) | RSS |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${r.ordersPerSecond.toFixed(1)} | ${ms(r.placeToConfirmedMs.p50)} | ${ms(r.placeToConfirmedMs.p99)} | ${ms(r.placeToConfirmedMs.max)} | ${ms(r.placeOrderResponseMs.p50)} / ${ms(r.placeOrderResponseMs.p99)} | ${r.ordersConfirmed} | ${r.ordersRejected} | ${r.placeOrderFailures} | ${r.stackCpuSecondsPerSecond.toFixed(2)} | ${r.peakRssMb} MB |

Machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.totalMemoryGb} GB, ${r.machine.platform}.
Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.
`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
