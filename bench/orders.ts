/**
 * `npm run bench:orders`: orders per second through the whole saga, from
 * placeOrder at the gateway to CONFIRMED (stock reserved, payment authorized),
 * on real Postgres and RabbitMQ. Closed loop: each of BENCH_CONCURRENCY
 * customers places an order, waits for its confirmation, and places the next,
 * for BENCH_SECONDS (default 60). The whole stack runs in this process, as the
 * quickstart does (BENCH_STACK=single, the default); BENCH_STACK=processes runs
 * each subgraph and the gateway in a Node process of its own, as deployed (on
 * this 2-core machine that measured slower: see bench/README.md), and then
 * BENCH_PROFILE_DIR writes a CPU profile per service process. Afterwards every
 * order's end state and every stock count is checked in the subgraphs' tables
 * (lib/saga-audit.ts): the run fails on any order lost, doubled or oversold.
 * Writes bench/results/orders-*.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AmqpEventBus, orderStatusChanged, type EventBus, type EventEnvelope } from '@commerce/events';
import { postGraphQL } from '@commerce/service-kit';
import { createTestDatabase } from '@commerce/service-kit/testing';
import { startStack } from '../scripts/stack';
import { deleteBrokerNamespace } from '../test/support/stack';
import { loadAverage, machine, versions } from './lib/environment';
import { auditSaga, type PlacedOrder, type SagaAudit } from './lib/saga-audit';
import { runBench } from './lib/run-bench';
import { startStackProcesses } from './lib/stack-processes';

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** How many products the orders spread over; each order takes two, so few products means hot rows in catalog. */
const productCount = Number(process.env.BENCH_PRODUCTS ?? 5);
/** How long an order may take to settle before the bench counts it lost. */
const settleTimeoutMs = Number(process.env.BENCH_SETTLE_TIMEOUT_MS ?? 60_000);
const initialStock = 1_000_000;
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const root = path.resolve(__dirname, '..');
const stackMode: 'single' | 'processes' = process.env.BENCH_STACK === 'processes' ? 'processes' : 'single';

interface BenchStack {
  gatewayUrl: string;
  /** Where the bench hears the orders settle. */
  bus: EventBus;
  /** CPU seconds the stack has used so far. */
  cpuSeconds(): number;
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function startBenchStack(env: Record<string, string>): Promise<BenchStack> {
  if (stackMode === 'single') {
    const stack = await startStack({ ...env, LOG_LEVEL: 'warn' }, 'ephemeral');
    const cpu = () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1e6;
    };
    return { gatewayUrl: stack.gatewayUrl, bus: stack.bus, cpuSeconds: cpu, peakRssMb: () => Math.round(process.memoryUsage().rss / 1e6), stop: () => stack.stop() };
  }
  const stack = await startStackProcesses({ ...env, LOG_LEVEL: 'warn' }, { bundled: process.env.BENCH_BUNDLED !== 'false', profileDir: process.env.BENCH_PROFILE_DIR });
  const bus = await AmqpEventBus.connect({ url: amqpUrl, namespace: env.EVENTS_NAMESPACE }).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  return {
    ...stack,
    bus,
    async stop() {
      await bus.close();
      await stack.stop();
    },
  };
}

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
  // Knobs such as DATABASE_POOL_SIZE and EVENTS_PREFETCH pass through to every service.
  const tuning = Object.fromEntries(Object.entries(process.env).filter(([name]) => name === 'DATABASE_POOL_SIZE' || name === 'EVENTS_PREFETCH'));
  const stack = await startBenchStack({ ...(tuning as Record<string, string>), DATABASE_URL: database.url, AMQP_URL: amqpUrl, EVENTS_NAMESPACE: namespace });
  const url = stack.gatewayUrl;
  // Resolves the wait of whoever placed the order, when the saga settles it.
  const settled = new Map<string, (status: string) => void>();
  // A settlement heard before placeOrder's response was read waits here for its order.
  const early = new Map<string, string>();
  await stack.bus.subscribe({
    queue: 'bench.order-status',
    bindings: ['order.status_changed'],
    handle: async (event: EventEnvelope) => {
      const change = orderStatusChanged.parse(event.payload);
      if (change.to !== 'CONFIRMED' && change.to !== 'REJECTED') return;
      const waiter = settled.get(change.orderId);
      if (waiter) waiter(change.to);
      else early.set(change.orderId, change.to);
    },
  });
  try {
    const owner = await signUp(url, 'SHOP_OWNER');
    const shopId = (await gql(url, `mutation { createShop(input: { name: "Bench shop" }) { id } }`, {}, owner)).createShop.id;
    const productIds: string[] = [];
    for (let i = 0; i < productCount; i++) {
      const input = { shopId, name: `Bench product ${i}`, priceCents: 100 + i, stock: initialStock };
      productIds.push((await gql(url, `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, owner)).createProduct.id);
    }
    const placed: PlacedOrder[] = [];
    let lost = 0;
    const customers = await Promise.all(Array.from({ length: concurrency }, () => signUp(url, 'CUSTOMER')));

    const placeAndWait = async (token: string, n: number) => {
      const started = performance.now();
      const input = {
        shopId,
        items: [{ productId: productIds[n % productIds.length]!, quantity: 1 }, { productId: productIds[(n + 1) % productIds.length]!, quantity: 2 }],
        deliveryAddress: '1 Bench Street',
        cardToken: 'tok_visa',
      };
      const result = await postGraphQL(url, `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input }, { authorization: `Bearer ${token}` });
      const id = result.data?.placeOrder?.id as string | undefined;
      if (!id) return null;
      placed.push({ id, items: input.items });
      const placedMs = performance.now() - started;
      const status = await new Promise<string>((resolve) => {
        const heard = early.get(id);
        if (heard) resolve(heard);
        else {
          const timer = setTimeout(() => resolve('LOST'), settleTimeoutMs);
          settled.set(id, (to) => {
            clearTimeout(timer);
            resolve(to);
          });
        }
      });
      settled.delete(id);
      early.delete(id);
      if (status === 'LOST') lost += 1;
      return { placedMs, settledMs: performance.now() - started, status };
    };

    // Warm-up: the first order of each customer waits for orders' read model of the catalog.
    const until = async (token: string) => {
      for (;;) if (await placeAndWait(token, 0)) return;
    };
    await Promise.all(customers.map(until));

    const loadBefore = loadAverage();
    const samples: { placedMs: number; settledMs: number; status: string }[] = [];
    let failed = 0;
    const cpuBefore = stack.cpuSeconds();
    const benchCpuBefore = process.cpuUsage();
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
    const cpuSeconds = stack.cpuSeconds() - cpuBefore;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const loadAfter = loadAverage();
    // Let the relays finish what they hold, then check the whole saga's bookkeeping.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const audit = await auditSaga(database.url, placed, new Map(productIds.map((id) => [id, initialStock])));
    const settledSorted = samples.map((s) => s.settledMs).sort((a, b) => a - b);
    const placedSorted = samples.map((s) => s.placedMs).sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      settings: { seconds, concurrency, itemsPerOrder: 2, products: productCount, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10), prefetch: Number(process.env.EVENTS_PREFETCH ?? 16) },
      machine: machine(),
      loadAverage: { before: loadBefore, after: loadAfter },
      versions: versions(['@apollo/gateway', '@apollo/server', 'amqplib', 'typeorm', 'pg']),
      ordersConfirmed: samples.filter((s) => s.status === 'CONFIRMED').length,
      ordersRejected: samples.filter((s) => s.status === 'REJECTED').length,
      placeOrderFailures: failed,
      ordersLost: lost,
      audit,
      ordersPerSecond: samples.filter((s) => s.status === 'CONFIRMED').length / wallSeconds,
      placeToConfirmedMs: { p50: percentile(settledSorted, 50), p99: percentile(settledSorted, 99), max: settledSorted.at(-1) ?? NaN },
      placeOrderResponseMs: { p50: percentile(placedSorted, 50), p99: percentile(placedSorted, 99) },
      stack: stackMode,
      stackCpuSecondsPerSecond: cpuSeconds / wallSeconds,
      benchCpuSecondsPerSecond: stackMode === 'single' ? null : (benchCpu.user + benchCpu.system) / 1e6 / wallSeconds,
      peakRssMb: stack.peakRssMb(),
    };
    const dir = process.env.BENCH_RESULTS_DIR ?? path.join(root, 'bench/results');
    await mkdir(dir, { recursive: true });
    const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
    await writeFile(path.join(dir, `orders-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(path.join(dir, 'orders-latest.md'), markdown(result));
    console.log(markdown(result));
    if (!audit.ok || lost > 0) throw new Error(`The saga's end state is wrong: ${JSON.stringify(audit)}`);
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
  ordersLost: number;
  audit: SagaAudit;
  loadAverage: { before: number[]; after: number[] };
  ordersPerSecond: number;
  placeToConfirmedMs: { p50: number; p99: number; max: number };
  placeOrderResponseMs: { p50: number; p99: number };
  stack: 'single' | 'processes';
  stackCpuSecondsPerSecond: number;
  benchCpuSecondsPerSecond: number | null;
  peakRssMb: number;
}): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return `# Order saga benchmark — ${r.date}

placeOrder at the gateway → \`order.placed\` → stock reserved (catalog) → payment authorized (payments) → CONFIRMED (orders), over real Postgres and RabbitMQ, closed loop with ${r.settings.concurrency} customers for ${r.settings.seconds} s, two items per order over ${r.settings.products} products, ${r.settings.poolSize} Postgres connections and prefetch ${r.settings.prefetch} per service. ${
    r.stack === 'single'
      ? 'The whole stack and the load generator run in one Node process (one core); Postgres and RabbitMQ share the other.'
      : `Each subgraph and the gateway run in a Node process of their own (stack CPU and RSS are their sums; the load generator used ${r.benchCpuSecondsPerSecond?.toFixed(2)} cores besides), sharing the 2 cores with Postgres and RabbitMQ.`
  }

| orders/s (placed → CONFIRMED) | p50 | p99 | max | placeOrder response p50 / p99 | confirmed | rejected | failed | lost | stack CPU (cores) | stack CPU per order | RSS |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${r.ordersPerSecond.toFixed(1)} | ${ms(r.placeToConfirmedMs.p50)} | ${ms(r.placeToConfirmedMs.p99)} | ${ms(r.placeToConfirmedMs.max)} | ${ms(r.placeOrderResponseMs.p50)} / ${ms(r.placeOrderResponseMs.p99)} | ${r.ordersConfirmed} | ${r.ordersRejected} | ${r.placeOrderFailures} | ${r.ordersLost} | ${r.stackCpuSecondsPerSecond.toFixed(2)} | ${ms((r.stackCpuSecondsPerSecond * 1000) / r.ordersPerSecond)} | ${r.peakRssMb} MB |

End state of all ${r.audit.orders} orders placed (warm-up included): ${r.audit.ok ? 'every order CONFIRMED once, reserved once, paid once; every stock count exact' : `WRONG — ${JSON.stringify(r.audit)}`}.
Load average (1/5/15 min) before the run ${r.loadAverage.before.join(' / ')}, after ${r.loadAverage.after.join(' / ')} (the machine is shared: compare runs made side by side).

Machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.totalMemoryGb} GB, ${r.machine.platform}.
Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.
`;
}

runBench(main);
