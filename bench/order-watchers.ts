/**
 * Many distinct subscriptions: O orders, each watched by W clients over
 * graphql-ws (`orderUpdated`), one status change per order per second for S
 * seconds, published on each order's channel as orders announces it. Every
 * order's watchers share one resolution per event on each gateway instance
 * that holds some of them; this counts the resolutions (the gateways'
 * subscriptionStats, and the requests the orders subgraph answered) and
 * times publish → every watcher's receipt.
 *
 *   npm run bench:order-watchers -- --orders 1000 --watchers 10 --seconds 10 --gateways 2
 *
 * The stack is bench:subscriptions' (lib/live-stack.ts): subgraphs and the
 * publisher here, gateways and subscribers (lib/subscriber-process.ts) in
 * processes of their own. One customer's orders are seeded (lib/seed.ts) with
 * S more status changes each, the k-th published as sequence k + 2 so that
 * each event shows the order as of that change (its status and history up
 * to it): a watcher can tell every event apart. Writes bench/results/order-watchers-<timestamp>.md and
 * .json; exits non-zero when a delivery was missing or wrong. BENCH_PROFILE=1
 * runs the gateways under --cpu-prof (bench/results/profiles/order-watchers/).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { liveChannels } from '@commerce/pubsub';
import { signAccessToken } from '@commerce/service-kit';
import { tally, type Tally } from './lib/deliveries';
import { loadAverage, machine, versions } from './lib/environment';
import { benchJwt, startLiveStack, type LiveStack } from './lib/live-stack';
import { clearRedisNamespace } from './lib/redis-namespace';
import { seed } from './lib/seed';
import { nowMs, SubscriberClients } from './lib/subscriber-clients';
import { runBench } from './lib/run-bench';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    watchers: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    gateways: { type: 'string', default: '2' },
    'client-processes': { type: 'string', default: '1' },
    'max-seconds': { type: 'string', default: '900' },
  },
});
const orderCount = Number(args.orders);
const watchers = Number(args.watchers);
const ticks = Number(args.seconds);
const gatewayCount = Number(args.gateways);
const clientProcesses = Number(args['client-processes']);
const maxSeconds = Number(args['max-seconds']);
if (![orderCount, watchers, ticks, gatewayCount, clientProcesses, maxSeconds].every((n) => Number.isInteger(n) && n >= 1)) {
  throw new Error('usage: --orders 1000 --watchers 10 --seconds 10 --gateways 2 --client-processes 1 --max-seconds 900 (positive integers)');
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(__dirname, '..');
const resultsDir = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
const drainMs = 60_000;
const profileDir = process.env.BENCH_PROFILE === '1' ? path.join(resultsDir, 'profiles', 'order-watchers') : undefined;
const connectConcurrency = 200;
/**
 * Statuses the added changes alternate: none is final, so no stream ends (@liveUntil), and
 * neither is a seeded order's own (CONFIRMED, OUT_FOR_DELIVERY), so the current state stands apart.
 */
const statuses = ['PREPARING', 'READY_FOR_PICKUP'];
const query = `subscription BenchOrderWatch($orderId: ID!) {
  orderUpdated(orderId: $orderId) { id status totalCents history { status at } }
}`;

function log(message: string): void {
  process.stdout.write(`[bench:order-watchers] ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');

interface Watched {
  orders: { id: string; status: string }[];
  /** When the k-th added status change happened (ms); each event shows one. */
  changeAt: (k: number) => number;
  customerId: string;
}

/** One customer's orders, each with `ticks` more status changes after its seeded one. */
async function seedWatched(stack: LiveStack): Promise<Watched> {
  const { byName } = stack;
  const [users, catalog, orders, payments, logistics] = ['users', 'catalog', 'orders', 'payments', 'logistics'].map((name) => byName[name]);
  if (!users || !catalog || !orders || !payments || !logistics) throw new Error('every subgraph is needed');
  const seeded = await seed(
    { users: users.dataSource, catalog: catalog.dataSource, orders: orders.dataSource, payments: payments.dataSource, logistics: logistics.dataSource },
    orderCount,
  );
  const list = (seeded.expectedOrders as { id: string; status: string }[]).map(({ id, status }) => ({ id, status }));
  // After the seeded change (now), one a second.
  const base = Math.floor(Date.now() / 1000) * 1000 + 60_000;
  const changeAt = (k: number) => base + k * 1000;
  // Rows go in tick by tick, so each order's changes are numbered (by id) in the order they are published.
  const rows = Array.from({ length: ticks }, (_, k) => list.map((order) => [order.id, statuses[k % statuses.length]!, new Date(changeAt(k))])).flat();
  for (let from = 0; from < rows.length; from += 5_000) {
    const chunk = rows.slice(from, from + 5_000);
    const values = chunk.map((_, r) => `($${3 * r + 1}, $${3 * r + 2}, $${3 * r + 3})`).join(', ');
    await orders.dataSource.query(`INSERT INTO orders.order_status_changes (order_id, status, at) VALUES ${values}`, chunk.flat());
  }
  return { orders: list, changeAt, customerId: seeded.customer.id };
}

interface Outcome {
  connectSeconds: number;
  counted: Tally;
  failures: number;
  publishSeconds: number;
  achievedRate: number;
  phaseSeconds: number;
  resolutions: number;
  ordersRequests: number;
  gatewayCpuMs: number;
  clientCpuMs: number;
  benchCpuMs: number;
  load: [number, number];
}

async function measure(stack: LiveStack, watched: Watched): Promise<Outcome> {
  const { gateway, publisher, byName } = stack;
  const subscribers = orderCount * watchers;
  const orderOf = (subscriber: number) => watched.orders[Math.floor(subscriber / watchers)]!;
  const token = signAccessToken({ userId: watched.customerId, role: 'CUSTOMER' }, benchJwt);
  const loadBefore = os.loadavg()[0]!;
  const connecting = nowMs();
  const clients = await SubscriberClients.open({
    urls: gateway.urls.map((url) => url.replace(/^http/, 'ws')),
    tokens: Array.from({ length: subscribers }, () => token),
    query,
    variablesOf: (subscriber) => ({ orderId: orderOf(subscriber).id }),
    processes: Math.min(clientProcesses, subscribers),
    concurrency: connectConcurrency,
    // The current state on subscribing, then one per tick.
    capacity: ticks + 1,
    cpus: stack.benchCpus,
    awaitCurrent: true,
  });
  try {
    // Each watcher is authorized and sent its current state, two subgraph requests: ten thousand take a while on a busy machine.
    const deadline = nowMs() + 600_000;
    for (;;) {
      const { subscriptions } = await gateway.stats();
      if (subscriptions?.subscribers === subscribers) break;
      if (nowMs() > deadline) throw new Error(`timed out waiting for ${subscribers} watchers to join (gateways have ${JSON.stringify(subscriptions)}, subscribers ${JSON.stringify(await clients.progress())})`);
      await sleep(100);
    }
    const connectSeconds = (nowMs() - connecting) / 1000;
    // Every watcher has its current state (awaitCurrent); a moment for the gateways to settle.
    await sleep(1_000);

    const events = orderCount * ticks;
    const publishedAt = new Float64Array(events).fill(NaN);
    const ordersSubgraph = byName.orders!;
    ordersSubgraph.requests.count = 0;
    const before = await gateway.stats();
    const clientsBefore = await clients.progress();
    const benchBefore = process.cpuUsage();
    const start = nowMs();
    // Each order once a second, the orders spread evenly over the second.
    const spacing = 1000 / orderCount;
    for (let k = 0; k < ticks; k++) {
      const sends: Promise<void>[] = [];
      for (let o = 0; o < orderCount; o++) {
        const due = start + k * 1000 + o * spacing;
        if (due - nowMs() >= 1) await sleep(due - nowMs());
        const { id } = watched.orders[o]!;
        publishedAt[o * ticks + k] = nowMs();
        // What orders' live announcer publishes for the order's (k + 2)-th status change.
        sends.push(publisher.publish(liveChannels.orderUpdated(id), { orderId: id, status: statuses[k % statuses.length]!, sequence: k + 2 }));
      }
      await Promise.all(sends);
    }
    const publishSeconds = (nowMs() - start) / 1000;
    const expected = clientsBefore.delivered + subscribers * ticks;
    const drainUntil = nowMs() + drainMs;
    let progress = await clients.progress();
    while (progress.delivered < expected && nowMs() < drainUntil) {
      await sleep(20);
      progress = await clients.progress();
    }
    const phaseSeconds = (nowMs() - start) / 1000;
    const after = await gateway.stats();
    const bench = process.cpuUsage(benchBefore);
    const receipts = await clients.receipts();
    const counted = tally(receipts, {
      events,
      publishedAt,
      audience: () => watchers,
      eventOf: (payload, subscriber) => {
        const { data, errors } = payload as { data?: { orderUpdated?: Record<string, unknown> }; errors?: unknown };
        const order = data?.orderUpdated;
        const mine = orderOf(subscriber);
        if (errors !== undefined || !order || order.id !== mine.id) return null;
        // The order as of its (k + 2)-th change shows k + 2 changes, the last one that change.
        const history = order.history as { status: string; at: string }[] | undefined;
        const latest = history?.at(-1);
        if (!history || !latest) return null;
        // The current state is the order's row (its seeded status), with the history as far as the row shows it.
        if (order.status === mine.status) return latest.status === mine.status ? 'current' : null;
        const k = history.length - 2;
        if (latest.status !== order.status) return null;
        const right = k < ticks && order.status === statuses[k % statuses.length] && Date.parse(latest.at) === watched.changeAt(k);
        return right ? Math.floor(subscriber / watchers) * ticks + k : null;
      },
    });
    return {
      connectSeconds,
      counted,
      failures: receipts.failures,
      publishSeconds,
      achievedRate: events / publishSeconds,
      phaseSeconds,
      resolutions: (after.subscriptions?.resolutions ?? 0) - (before.subscriptions?.resolutions ?? 0),
      ordersRequests: ordersSubgraph.requests.count,
      gatewayCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
      clientCpuMs: (progress.cpuMicros - clientsBefore.cpuMicros) / 1000,
      benchCpuMs: (bench.user + bench.system) / 1000,
      load: [loadBefore, os.loadavg()[0]!],
    };
  } finally {
    await clients.stop();
  }
}

function report(outcome: Outcome, stack: LiveStack, date: string, leftovers: string): string {
  const { counted } = outcome;
  const events = orderCount * ticks;
  // Round robin puts an order's watchers on this many instances; each resolves each event once for its own.
  const instancesPerOrder = Math.min(watchers, gatewayCount);
  const perEvent = outcome.resolutions / events;
  const share = (cpuMs: number) => `${cpuMs.toFixed(0)} ms, ${(cpuMs / 10 / outcome.phaseSeconds).toFixed(0)} % of a core`;
  return [
    `# Order watchers benchmark — ${date}`,
    '',
    `Command: \`npm run bench:order-watchers -- ${process.argv.slice(2).join(' ')}\``,
    '',
    `${orderCount} orders × ${watchers} watchers = ${orderCount * watchers} graphql-ws subscriptions of \`orderUpdated\` over ${gatewayCount} gateway process${gatewayCount === 1 ? '' : 'es'} ` +
      `(watchers round robin, as GATEWAY_WORKERS=${gatewayCount} would spread connections; ${clientProcesses} subscriber process${clientProcesses === 1 ? '' : 'es'}), ` +
      `one status change per order per second for ${ticks} s (${events} events, published on Redis as orders announces them, spread evenly over each second).`,
    '',
    '```graphql',
    query,
    '```',
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| connect (every watcher joined) | ${outcome.connectSeconds.toFixed(1)} s |`,
    `| events published | ${events} at ${outcome.achievedRate.toFixed(0)}/s |`,
    `| delivered / expected | ${counted.delivered} / ${counted.expected} |`,
    `| wrong / failed | ${counted.wrong} / ${outcome.failures} |`,
    `| publish → first watcher of the event p50 / p99 | ${ms(counted.firstClient.p50)} / ${ms(counted.firstClient.p99)} |`,
    `| **publish → last watcher of the event p50 / p99 / max** | **${ms(counted.lastClient.p50)} / ${ms(counted.lastClient.p99)}** / ${ms(counted.lastClient.max)} |`,
    `| publish → every delivery p50 / p99 / max | ${ms(counted.allDeliveries.p50)} / ${ms(counted.allDeliveries.p99)} / ${ms(counted.allDeliveries.max)} |`,
    `| gateway resolutions (all instances) | ${outcome.resolutions}: ${perEvent.toFixed(2)} per event, ${(perEvent / instancesPerOrder).toFixed(2)} per event per instance holding its watchers |`,
    `| orders subgraph requests | ${outcome.ordersRequests}: ${(outcome.ordersRequests / events).toFixed(2)} per event |`,
    `| gateways CPU | ${share(outcome.gatewayCpuMs)} (${((outcome.gatewayCpuMs * 1000) / events).toFixed(0)} µs/event) |`,
    `| subscriber processes CPU | ${share(outcome.clientCpuMs)} |`,
    `| bench process CPU (publisher, subgraphs) | ${share(outcome.benchCpuMs)} |`,
    `| load average (1 min) before → after | ${outcome.load[0].toFixed(1)} → ${outcome.load[1].toFixed(1)} |`,
    '',
    `Target: one resolution per event (per gateway instance holding the order's watchers: ${instancesPerOrder} here): ${
      counted.delivered < counted.expected
        ? `not judged: the gateways fell behind, ${counted.delivered} of ${counted.expected} deliveries arrived within ${drainMs / 1000} s of the last publish, so events were still unresolved`
        : Math.abs(perEvent / instancesPerOrder - 1) < 0.005 ? 'met' : 'NOT met'
    }.`,
    `Target: p99 publish → last watcher: ${counted.delivered < counted.expected ? 'NOT met (deliveries missing)' : ms(counted.lastClient.p99)}.`,
    '',
    'Each order\'s watchers share one subscription per instance (same document, variables and user); an event is resolved once per instance and its result written to that instance\'s watchers. ' +
      'Latency is publish (this process) → arrival at a subscriber process, both stamped on the machine\'s wall clock; every event shows its own status change, checked for every watcher, in order.',
    '',
    `Redis after the run: ${leftovers}. Gateways: ${stack.gatewayCpu === null ? 'unpinned' : `pinned to cpu ${stack.gatewayCpu}`}. Load average (1, 5, 15 min) at the end: ${loadAverage().join(', ')}. ` +
      `Machine: ${machine().cpuModel}, ${machine().cores} cores. Versions: ${Object.entries(versions(['@apollo/gateway', 'graphql', 'graphql-ws', 'ws', 'ioredis'])).map(([n, v]) => `${n} ${v}`).join(', ')}.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (let step = cleanups.pop(); step; step = cleanups.pop()) await step().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  setTimeout(() => void cleanup().then(() => process.exit(1)), maxSeconds * 1000).unref();
  let text: string;
  let outcome: Outcome;
  try {
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const stack = await startLiveStack({ gateways: gatewayCount, redisUrl, profileDir, cleanups });
    const watched = await seedWatched(stack);
    log(`seeded ${orderCount} orders with ${ticks} changes each; gateways ${stack.gateway.urls.join(' ')}`);
    outcome = await measure(stack, watched);
    await cleanup();
    const date = new Date().toISOString();
    text = report(outcome, stack, date, await clearRedisNamespace(redisUrl, stack.namespace));
    await mkdir(resultsDir, { recursive: true });
    const stamp = date.replace(/:/g, '-').replace(/\..*$/, '');
    await writeFile(path.join(resultsDir, `order-watchers-${stamp}.md`), text);
    await writeFile(path.join(resultsDir, `order-watchers-${stamp}.json`), JSON.stringify({ date, settings: { orderCount, watchers, ticks, gatewayCount, clientProcesses }, outcome }, null, 2));
    log(`wrote ${path.relative(root, path.join(resultsDir, `order-watchers-${stamp}.md`))}`);
  } finally {
    await cleanup();
  }
  process.stdout.write(`\n${text}\n`);
  const { counted } = outcome;
  if (counted.delivered !== counted.expected || counted.wrong + outcome.failures > 0) process.exitCode = 1;
}

runBench(main);
