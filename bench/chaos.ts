/**
 * `npm run chaos`: the order saga and live subscriptions under faults, on
 * loopback only. Two replicas of every subgraph and two gateways (separate
 * processes), on a database, redis-server and RabbitMQ node of the run's own.
 * For --seconds (default 60) customers place orders, the shop owner and
 * couriers move them on (some are cancelled, some cards declined, one product
 * runs out), and 1,000 graphql-ws subscribers spread over both gateways watch
 * orders and inventory. Meanwhile, at seeded random moments, one replica of
 * every subgraph and one gateway are SIGKILLed (and forked again), RabbitMQ is
 * restarted once and Redis once. After a bounded drain, the invariants are
 * checked (lib/chaos/*-invariants.ts, lib/chaos/subscriber-check.ts) and the
 * report goes to bench/results/chaos-latest.md and a timestamped copy. Exits 1
 * when any invariant broke, naming it with examples.
 *
 *   npm run chaos -- [--seconds 60] [--seed N] [--subscribers 1000] [--customers 16] [--drain-seconds 150] [--bundles]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { GatewayClient } from './lib/chaos/client';
import { loadAverage } from './lib/environment';
import { auditEvents, eventsInFlight } from './lib/chaos/event-invariants';
import { startInfrastructure, type Infrastructure } from './lib/chaos/infrastructure';
import { describeFailure, holds, invariant, type Invariant } from './lib/chaos/invariants';
import { pollUntil, sleep } from './lib/chaos/ports';
import { ReplicaSet } from './lib/chaos/replicas';
import { chaosMarkdown, percentile, type ChaosResult } from './lib/chaos/report';
import { seededRng } from './lib/chaos/rng';
import { auditSaga, type AuditedOrder } from './lib/chaos/saga-invariants';
import { planFaults, runFaults, type FaultLog } from './lib/chaos/schedule';
import { seedWorld } from './lib/chaos/seed';
import { chaosTopology } from './lib/chaos/services';
import { checkInventoryWatches, checkOrderWatches } from './lib/chaos/subscriber-check';
import { startFleet, type SubscriberFleet } from './lib/chaos/subscribers';
import { startWorkload, type Workload } from './lib/chaos/workload';

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
process.env.TURBO_TELEMETRY_DISABLED ??= '1';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.CHAOS_SECONDS ?? '60' },
    seed: { type: 'string', default: process.env.CHAOS_SEED },
    subscribers: { type: 'string', default: process.env.CHAOS_SUBSCRIBERS ?? '1000' },
    customers: { type: 'string', default: process.env.CHAOS_CUSTOMERS ?? '16' },
    'drain-seconds': { type: 'string', default: process.env.CHAOS_DRAIN_SECONDS ?? '150' },
    /** Run the services from their production bundles (dist/index.js) rather than from source with tsx. */
    bundles: { type: 'boolean', default: process.env.CHAOS_BUNDLES === '1' },
  },
});
const seconds = Number(args.seconds);
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
const subscribers = Number(args.subscribers);
const inventorySubscribers = Math.round(subscribers / 5);
const orderSubscribers = subscribers - inventorySubscribers;
const customers = Number(args.customers);
const couriers = 4;
const productCount = 6;
const drainMs = Number(args['drain-seconds']) * 1000;
const root = path.resolve(__dirname, '..');
const namespace = 'chaos';

const timeline: string[] = [];
const runStarted = Date.now();
const log = (line: string) => {
  const stamped = `[${((Date.now() - runStarted) / 1000).toFixed(1)}s] ${line}`;
  timeline.push(stamped);
  console.log(stamped);
};

async function main(): Promise<number> {
  for (const [name, value] of Object.entries({ seconds, seed, subscribers, customers, drainMs })) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  }
  const loadBefore = loadAverage();
  log(`chaos run: seed ${seed}, ${seconds} s of load, ${orderSubscribers} orderUpdated + ${inventorySubscribers} inventoryChanged subscribers`);
  const phases: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phases[name] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };

  try {
    const infra = (owned.infra = await startInfrastructure(log));
    const topology = await chaosTopology({ DATABASE_URL: infra.database.url, AMQP_URL: infra.rabbit.url, REDIS_URL: infra.redis.url, EVENTS_NAMESPACE: namespace, LOG_LEVEL: 'warn' }, infra.dir, args.bundles);
    const replicas = (owned.replicas = new ReplicaSet(topology.specs, path.join(infra.dir, 'services.log')));
    await replicas.start(300_000);
    log(`replicas listening: ${replicas.describe()}`);
    phase('start-up');

    const client = new GatewayClient(topology.gatewayUrls);
    const world = await seedWorld(client, { customers, couriers, products: productCount });
    log(`seeded: a shop, ${productCount} products, ${customers} customers, ${couriers} couriers`);
    const fleet = (owned.fleet = await startFleet({
      gatewayUrls: topology.gatewayUrls,
      orderSubscribers,
      inventorySubscribers,
      ownerToken: world.owner.token,
      inventoryTokens: world.customers.map((customer) => customer.token),
      shopId: world.shopId,
      activeOrders: () => owned.workload?.active() ?? [],
    }));
    if (!(await pollUntil(async () => fleet.allConnected(), 180_000, 250))) throw new Error(`only ${fleet.connectedCount()} of ${subscribers} subscribers connected within 180 s`);
    log(`${subscribers} subscribers connected; load starts`);
    phase('seed and subscribe');
    const workload = (owned.workload = startWorkload(client, world, seed, { thinkMs: [1_500, 4_000], stepMs: [300, 1_200] }));

    // The load, and the faults at their seeded moments within it.
    const loadStarted = Date.now();
    const faults = planFaults(seededRng(seed), seconds * 1000);
    log(`faults planned: ${faults.map((f) => `${f.kind === 'kill' ? `kill ${f.service}#${f.replica}` : `restart ${f.kind}`} at +${(f.atMs / 1000).toFixed(1)}s`).join(', ')}`);
    const faultRun = runFaults(faults, loadStarted, { replicas, rabbit: infra.rabbit, redis: infra.redis, firstLiveMessageAfter: (at, timeout) => fleet.firstMessageAfter(at, timeout), recoveryTimeoutMs: 120_000 }, (line) => log(line));
    await sleep(seconds * 1000);
    workload.stopPlacing();
    fleet.stopPicking();
    log(`load over: ${workload.orders.size} orders placed; waiting for the faults to recover`);
    const faultLog: FaultLog = await faultRun;
    phase('load');

    // The drain: everyone back, every order at its end, every event delivered.
    const drainDeadline = Date.now() + drainMs;
    const allUp = await replicas.waitAllUp(Math.max(0, drainDeadline - Date.now()));
    const db = (owned.db = new Client({ connectionString: infra.database.url }));
    await db.connect();
    // A request a killed gateway's port held (the cluster primary queues connections until a replacement listens)
    // may create an order long after its caller gave up: adopt until a check 5 s after every lifecycle ended finds none.
    let adopted = 0;
    let settled = false;
    // Only once every placeOrder call has its answer: one still in flight has an order that is not lost.
    await workload.placed();
    for (let found = -1; found !== 0 && Date.now() < drainDeadline; ) {
      adopted += await adoptLostPlacements(db, workload, world.shopId, world.customers.map((c) => c.id));
      settled = await workload.settled(drainDeadline);
      await sleep(5_000);
      found = await adoptLostPlacements(db, workload, world.shopId, world.customers.map((c) => c.id));
      adopted += found;
      if (found > 0) settled = false;
    }
    if (adopted) log(`adopted ${adopted} order(s) whose placeOrder answer was lost`);
    const watched = await fleet.watchesDone(drainDeadline);
    const quiet = await pollUntil(async () => {
      const inFlight = await eventsInFlight(db, infra.rabbit, namespace);
      return inFlight.unpublished === 0 && inFlight.queued === 0;
    }, Math.max(0, drainDeadline - Date.now()), 1_000);
    const connected = await pollUntil(async () => fleet.allConnected(), Math.max(5_000, drainDeadline - Date.now()), 250);
    log(`drain: replicas ${allUp ? 'all up' : 'NOT all up'}, orders ${settled ? 'settled' : 'NOT settled'}, watches ${watched ? 'complete' : 'NOT complete'}, events ${quiet ? 'delivered' : 'STILL IN FLIGHT'}, subscribers ${connected ? 'connected' : 'NOT all connected'}`);
    phase('drain');

    // The inventory probe: one restock of each product, which every inventory subscriber must now receive.
    for (const product of world.products) {
      await client.must(`mutation ($id: ID!) { restockProduct(productId: $id, quantity: 1) { id } }`, { id: product.id }, world.owner.token);
    }
    const probeStock = new Map((await db.query<{ id: string; stock: number }>(`SELECT id, stock FROM catalog.products WHERE shop_id = $1`, [world.shopId])).rows.map((row) => [row.id, row.stock]));
    await pollUntil(async () => fleet.inventoryWatches.every((watch) => [...probeStock].every(([id, stock]) => watch.segments.some((segment) => segment.messages.includes(`${id}|${stock - 1}|${stock}|RESTOCKED`)))), 30_000, 250);
    phase('probe');

    // The audit, against the database as it is now (the probe's restock taken back out of the stock).
    const orders = await auditedOrders(db, workload, world.shopId, world.customers.map((c) => c.id));
    const histories = await statusHistories(db, orders.map((o) => o.id));
    const products = world.products.map((product) => ({ ...product, initialStock: product.initialStock + 1 }));
    const saga = await auditSaga(db, orders, products, histories);
    const events = await auditEvents(db, infra.rabbit, namespace);
    const orderCheck = checkOrderWatches(fleet.orderWatches, histories, faultLog.restarts.filter((b) => b.kind === 'redis').map((b) => b.stoppedAt));
    const inventoryCheck = checkInventoryWatches(fleet.inventoryWatches, { stock: probeStock });
    const unexplainedOrders = explainUnanswered(orders, workload);
    const recovery: Invariant[] = [
      invariant('every fault ran and recovered', `${faults.length} faults`, [
        ...faultLog.errors,
        ...faultLog.kills.filter((k) => k.readyAt === null).map((k) => `${k.service} replica ${k.replica} not listening again within 120 s of its kill`),
        ...faultLog.restarts.filter((b) => b.firstDeliveryAt === null).map((b) => `${b.kind}: no ${b.kind === 'rabbitmq' ? 'publish+consume' : 'live message'} after its restart`),
      ]),
      invariant('no replica died unless killed', 'every worker exit after it listened', replicas.unexpectedExits.map((e) => `${e.service} replica ${e.replica} (pid ${e.pid}) exited ${e.signal ?? e.code}`)),
      invariant('the drain finished in time', `${drainMs / 1000} s`, [
        ...(allUp ? [] : [`replicas not all up: ${replicas.describe()}`]),
        ...(settled ? [] : [`${workload.active().length} order lifecycle(s) still running, e.g. ${workload.active().slice(0, 3).map((o) => `${o.id} ${o.status}`).join(', ')}`]),
        ...(quiet ? [] : [`events still in flight: ${JSON.stringify(await eventsInFlight(db, infra.rabbit, namespace))}`]),
        ...(connected ? [] : ['not every subscriber reconnected']),
      ]),
      invariant('every order in the database was placed by a customer of this run', `${orders.length} orders`, unexplainedOrders),
    ];
    const invariants = [...recovery, ...saga.invariants, ...events.invariants, ...orderCheck.invariants, ...inventoryCheck.invariants];
    const restored = fleet.reconnects.filter((r) => r.restoredAt !== null);
    const result: ChaosResult = {
      date: new Date().toISOString(),
      ok: holds(invariants),
      seed,
      settings: { seconds, drainSeconds: drainMs / 1000, orderSubscribers, inventorySubscribers, customers, couriers, products: productCount, bundles: args.bundles },
      loadAverage: { before: loadBefore, after: loadAverage() },
      phases,
      timeline,
      kills: faultLog.kills,
      restarts: faultLog.restarts,
      faultErrors: faultLog.errors,
      reconnects: {
        order: restored.filter((r) => r.kind === 'order').map((r) => r.restoredAt! - r.lostAt),
        inventory: restored.filter((r) => r.kind === 'inventory').map((r) => r.restoredAt! - r.lostAt),
        connected: fleet.reconnects.filter((r) => r.connectedAt !== null).map((r) => r.connectedAt! - r.lostAt),
        neverRestored: fleet.reconnects.length - restored.length,
        attempts: tallyAttempts(fleet.reconnects),
      },
      saga: saga.counts,
      events: events.counts,
      subscribers: { ...prefixed('orderUpdated', orderCheck.stats), ...prefixed('inventory', inventoryCheck.stats) },
      placements: {
        answered: [...workload.orders.values()].filter((o) => !o.adopted).length,
        failed: workload.placeFailures,
        ambiguous: [...workload.ambiguousPlacements.values()].reduce((a, b) => a + b, 0),
        adopted,
      },
      clientOutcomes: Object.fromEntries(client.outcomes),
      invariants,
      observations: [...orderCheck.observations, ...inventoryCheck.observations],
      unexpectedExits: replicas.unexpectedExits.map((e) => `${e.service}#${e.replica} ${e.signal ?? e.code}`),
    };
    await writeReport(result, loadStarted);
    printSummary(result);
    if (!result.ok) console.error(`\nservice logs: ${await keepLog(replicas.logFile)}`);
    return result.ok ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

/** What the run started, for the clean-up after success, failure or a signal. */
const owned: { infra?: Infrastructure; replicas?: ReplicaSet; fleet?: SubscriberFleet; workload?: Workload; db?: Client } = {};
let cleaning: Promise<void> | null = null;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    owned.workload?.abort();
    await owned.fleet?.close().catch(() => undefined);
    await owned.db?.end().catch(() => undefined);
    await owned.replicas?.stop().catch(() => undefined);
    await owned.infra?.stop();
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`chaos run: ${signal}, cleaning up`);
    // Whatever is still alive after that is killed by process group on exit (owned-processes.ts).
    void cleanUp().finally(() => process.exit(130));
  });
}

/** How lost sockets came back, by the shape of their tries (times rounded to seconds): the commonest first. */
function tallyAttempts(reconnects: { attempts?: string[] }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const { attempts } of reconnects) {
    if (!attempts) continue;
    const shape = attempts.map((a) => a.replace(/after (\d+) ms/, (_, ms: string) => `after ${Math.round(Number(ms) / 1000)} s`)).join(' → ');
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
}

const prefixed = (prefix: string, stats: Record<string, number>) => Object.fromEntries(Object.entries(stats).map(([k, v]) => [`${prefix} ${k}`, v]));

/** Orders of the shop that no placeOrder answer named: created by a call whose answer was lost. They are driven to the end like the others. */
async function adoptLostPlacements(db: Client, workload: Workload, shopId: string, customerIds: string[]): Promise<number> {
  const { rows } = await db.query<{ id: string; customer_id: string }>(`SELECT id, customer_id FROM orders.orders WHERE shop_id = $1 AND id <> ALL($2::uuid[])`, [shopId, [...workload.orders.keys()]]);
  for (const row of rows) {
    const items = (await db.query<{ product_id: string; quantity: number }>(`SELECT product_id, quantity FROM orders.order_items WHERE order_id = $1 ORDER BY position`, [row.id])).rows;
    workload.adopt({ id: row.id, customer: Math.max(0, customerIds.indexOf(row.customer_id)), items: items.map((i) => ({ productId: i.product_id, quantity: i.quantity })) });
  }
  return rows.length;
}

/** Every order of the shop in the database, with the plan its customer had (none for adopted ones). */
async function auditedOrders(db: Client, workload: Workload, shopId: string, customerIds: string[]): Promise<(AuditedOrder & { customerIndex: number })[]> {
  const { rows } = await db.query<{ id: string; customer_id: string }>(`SELECT id, customer_id FROM orders.orders WHERE shop_id = $1`, [shopId]);
  return rows.map((row) => {
    const tracked = workload.orders.get(row.id);
    return { id: row.id, items: tracked?.items ?? [], plan: tracked && !tracked.adopted ? tracked.plan : null, customerIndex: customerIds.indexOf(row.customer_id) };
  });
}

/** An order no answer named is explained only by a placeOrder call of the same customer that got no clear answer, one order per such call. */
function explainUnanswered(orders: (AuditedOrder & { customerIndex: number })[], workload: Workload): string[] {
  const failures: string[] = [];
  const unanswered = new Map<number, string[]>();
  for (const order of orders.filter((o) => o.plan === null)) {
    if (order.customerIndex < 0) failures.push(`order ${order.id} belongs to no customer of this run`);
    else unanswered.set(order.customerIndex, [...(unanswered.get(order.customerIndex) ?? []), order.id]);
  }
  for (const [customer, ids] of unanswered) {
    const ambiguous = workload.ambiguousPlacements.get(customer) ?? 0;
    if (ids.length > ambiguous) failures.push(`customer ${customer} has ${ids.length} order(s) no answer named (${ids.join(', ')}) but only ${ambiguous} unanswered placeOrder call(s): an order was doubled`);
  }
  return failures;
}

async function statusHistories(db: Client, ids: string[]): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ order_id: string; status: string }>(`SELECT order_id, status FROM orders.order_status_changes WHERE order_id = ANY($1::uuid[]) ORDER BY id`, [ids]);
  const histories = new Map<string, string[]>();
  for (const row of rows) histories.set(row.order_id, [...(histories.get(row.order_id) ?? []), row.status]);
  return histories;
}

async function writeReport(result: ChaosResult, loadStarted: number): Promise<void> {
  const dir = process.env.BENCH_RESULTS_DIR ?? path.join(root, 'bench/results');
  await mkdir(dir, { recursive: true });
  const markdown = chaosMarkdown(result, loadStarted);
  const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
  await writeFile(path.join(dir, `chaos-${stamp}.md`), markdown);
  await writeFile(path.join(dir, 'chaos-latest.md'), markdown);
  log(`report: ${path.join(dir, 'chaos-latest.md')}`);
}

function printSummary(r: ChaosResult): void {
  const kills = r.kills.map((k) => `${k.service}#${k.replica} ${k.readyAt ? `${((k.readyAt - k.killedAt) / 1000).toFixed(1)}s` : 'never'}`).join(', ');
  const brokers = r.restarts.map((b) => `${b.kind} ${b.firstDeliveryAt ? `${((b.firstDeliveryAt - b.stoppedAt) / 1000).toFixed(1)}s` : 'never'}`).join(', ');
  console.log(`
chaos ${r.ok ? 'PASSED' : 'FAILED'} (seed ${r.seed})
  orders ${r.saga.orders}: ${Object.entries(r.saga.byFinalStatus).map(([k, v]) => `${k} ${v}`).join(', ')}
  recovered: ${kills}; ${brokers}
  subscriber sockets back: ${r.reconnects.connected.length} p50 ${percentile(r.reconnects.connected, 50).toFixed(0)} ms p99 ${percentile(r.reconnects.connected, 99).toFixed(0)} ms
  subscriptions back: orderUpdated ${r.reconnects.order.length} p50 ${percentile(r.reconnects.order, 50).toFixed(0)} ms p99 ${percentile(r.reconnects.order, 99).toFixed(0)} ms, inventory ${r.reconnects.inventory.length}
  how sockets came back: ${r.reconnects.attempts.map(([shape, n]) => `${n}× ${shape}`).join('; ') || 'none lost'}
  invariants: ${r.invariants.filter((i) => i.failures.length === 0).length}/${r.invariants.length} held`);
  for (const item of r.observations.filter((i) => i.failures.length > 0)) console.log(`  (observed) ${item.name}: ${item.failures.length}, e.g. ${item.failures[0]}`);
  for (const item of r.invariants.filter((i) => i.failures.length > 0)) console.error(describeFailure(item));
}

/**
 * A failed run's service log outlives the run's directory (as chaos-services-latest.log
 * beside the report); what it prints are the errors and crashes in it, not the routine last lines.
 */
async function keepLog(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (!text) return `${file} is empty`;
  const kept = path.join(process.env.BENCH_RESULTS_DIR ?? path.join(root, 'bench/results'), 'chaos-services-latest.log');
  await writeFile(kept, text);
  const serious = text.split('\n').filter((line) => line && !/^\{"level":(10|20|30|40),/.test(line));
  return `(${kept}: its errors and crash output, last 40 lines)\n${serious.slice(-40).join('\n')}`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`chaos run aborted (seed ${seed}):`, error instanceof Error ? error.stack ?? error.message : error);
    process.exit(2);
  },
);
