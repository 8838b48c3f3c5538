/**
 * Subscriptions benchmark: N graphql-ws subscribers of one subscription on
 * one gateway instance (or --gateways K, spread over K processes as
 * GATEWAY_WORKERS=K would) fed by real Redis, events published at a fixed rate.
 *
 *   npm run bench:subscriptions -- --subscribers 100,1000,10000 --events 50 --rate 10 [--gateways 2] [--client-processes 1]
 *   npm run bench:subscriptions -- --subscribers 250 --rate 25,50,100 --seconds 3      (events = rate × seconds)
 *
 * Every N is run at every rate (a list of either doubles that dimension).
 * The subgraphs and the publisher run in this process over a fresh Postgres
 * database; each gateway and the subscribers (lib/subscriber-process.ts) run
 * in Node processes of their own, so that reading thousands of sockets does
 * not delay publishing, and each process' RSS and CPU are its own. With one
 * gateway, it is pinned to the last core and everything else to the others.
 * For each run: the gateways' memory with no subscriber and with N idle ones,
 * then the stock changes published with RedisLivePubSub exactly as catalog
 * announces them, each publish stamped on the wall clock; every subscriber's
 * receipt of every event is stamped on the same clock and checked.
 * Resolutions per event come from the gateways' subscriptionStats(). Writes
 * bench/results/subscriptions-<timestamp>.md (and .json) and prints it; exits
 * non-zero when a delivery was missing or wrong. --max-seconds bounds the
 * whole run; BENCH_PROFILE=1 runs the gateways under --cpu-prof
 * (bench/results/profiles/subscriptions/).
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogSubgraph } from '@commerce/catalog';
import { domainEvent } from '@commerce/events';
import { signAccessToken } from '@commerce/service-kit';
import { tally } from './lib/deliveries';
import { machine, versions } from './lib/environment';
import { benchJwt, startLiveStack, type LiveStack } from './lib/live-stack';
import { clearRedisNamespace } from './lib/redis-namespace';
import { socketLimits, socketShortfall } from './lib/socket-limits';
import type { BenchSubgraph } from './lib/subgraphs';
import { nowMs, SubscriberClients } from './lib/subscriber-clients';
import { perConnection, writeSubscriptionsReport, type GatewayMemory, type MeasuredSize, type SizeResult } from './lib/subscriptions-report';
import { runBench } from './lib/run-bench';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100,1000,10000' },
    events: { type: 'string' },
    seconds: { type: 'string' },
    rate: { type: 'string', default: '10' },
    'max-seconds': { type: 'string', default: '900' },
    gateways: { type: 'string', default: '1' },
    'client-processes': { type: 'string', default: '1' },
  },
});
const list = (text: string) => text.split(',').map(Number).sort((a, b) => a - b);
const sizes = list(args.subscribers);
const rates = list(args.rate);
const fixedEvents = args.events === undefined ? (args.seconds === undefined ? 50 : null) : Number(args.events);
const seconds = args.seconds === undefined ? null : Number(args.seconds);
const maxSeconds = Number(args['max-seconds']);
const gatewayCount = Number(args.gateways);
const clientProcesses = Number(args['client-processes']);
const positiveInteger = (n: number) => Number.isInteger(n) && n >= 1;
if (
  !sizes.every(positiveInteger) || !rates.every((r) => r > 0) || (fixedEvents !== null && !positiveInteger(fixedEvents)) || (seconds !== null && !(seconds > 0)) ||
  !(maxSeconds > 0) || !positiveInteger(gatewayCount) || !positiveInteger(clientProcesses)
) {
  throw new Error('usage: --subscribers 100,1000 [--events 50 | --seconds 5] --rate 10[,20] --gateways 1 --client-processes 1 --max-seconds 900 (positive numbers)');
}
/** Events of one run: --events, or --seconds worth at the run's rate. */
const eventsAt = (rate: number) => fixedEvents ?? Math.max(1, Math.round(rate * seconds!));

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(__dirname, '..');
const resultsDir = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
/** Handshakes in flight at once: well under the gateways' listen backlog (511). */
const connectConcurrency = 200;
/** After the last publish, how long missing deliveries are waited for: a gateway that falls behind still finishes, within bounds. */
const drainMs = 60_000;
const profileDir = process.env.BENCH_PROFILE === '1' ? path.join(resultsDir, 'profiles', 'subscriptions') : undefined;

// Spans two subgraphs: catalog owns the change, the product and its shop; users owns the owner's name.
const query = `subscription BenchInventory($productIds: [ID!]) {
  inventoryChanged(productIds: $productIds) {
    stock previousStock reason at
    product { name shop { name owner { name } } }
  }
}`;

interface Seeded {
  productId: string;
  shopId: string;
  product: { name: string; shop: { name: string; owner: { name: string } } };
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One shop owner, one shop, one product, straight into each subgraph's schema. */
async function seed(users: BenchSubgraph, catalog: BenchSubgraph): Promise<Seeded> {
  const owner = { id: randomUUID(), name: 'Bench Owner' };
  const shop = { id: randomUUID(), name: 'Bench Live Shop' };
  const product = { id: randomUUID(), name: 'Bench Live Product' };
  await users.dataSource.query('INSERT INTO users.users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)', [
    owner.id, 'bench.owner@example.com', owner.name, 'SHOP_OWNER', 'not-a-real-hash',
  ]);
  await catalog.dataSource.query('INSERT INTO catalog.shops (id, owner_id, name) VALUES ($1, $2, $3)', [shop.id, owner.id, shop.name]);
  await catalog.dataSource.query('INSERT INTO catalog.products (id, shop_id, name, price_cents, stock) VALUES ($1, $2, $3, $4, $5)', [product.id, shop.id, product.name, 100, 0]);
  return { productId: product.id, shopId: shop.id, product: { name: product.name, shop: { name: shop.name, owner: { name: owner.name } } } };
}

async function main(): Promise<void> {
  const started = Date.now();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    // Last started, first stopped; each step runs once even if SIGINT or the time limit races the normal end.
    for (let step = cleanups.pop(); step; step = cleanups.pop()) {
      await step().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    }
  };
  const abort = (why: string, code: number) => {
    log(why);
    void cleanup().then(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  setTimeout(() => abort(`stopped: the run took longer than --max-seconds ${maxSeconds}`, 1), maxSeconds * 1000).unref();

  const limits = socketLimits();
  log(`ulimit -n ${limits.openFiles.soft ?? 'unlimited'} (hard ${limits.openFiles.hard ?? 'unlimited'}); ephemeral ports ${limits.ephemeralPorts ? `${limits.ephemeralPorts.from}-${limits.ephemeralPorts.to}` : 'unknown'}`);

  const results: SizeResult[] = [];
  let stack: LiveStack | null = null;
  try {
    if (profileDir) await mkdir(profileDir, { recursive: true });
    stack = await startLiveStack({ gateways: gatewayCount, redisUrl, profileDir, cleanups });
    const { byName, gateway } = stack;
    if (!byName.users || !byName.catalog) throw new Error('the users and catalog subgraphs are required');
    const seeded = await seed(byName.users, byName.catalog);
    log(`gateways ${gateway.urls.join(' ')} (pids ${gateway.pids.join(' ')}${stack.gatewayCpu === null ? '' : `, cpu ${stack.gatewayCpu}`}), Redis namespace ${stack.namespace}${stack.benchCpus === null ? '' : `, bench and subscribers on cpu ${stack.benchCpus}`}`);
    const bench = new LiveBench(stack, seeded);

    await bench.warmUp();
    for (const n of sizes) {
      for (const rate of rates) {
        // Each subscriber holds a descriptor in a subscriber process, and one in a gateway.
        const shortfall = socketShortfall(limits, Math.ceil(n / Math.min(clientProcesses, gatewayCount)));
        if (shortfall) {
          log(`${n} subscribers: not run, ${shortfall}`);
          results.push({ subscribers: n, rate, notRun: shortfall });
          continue;
        }
        const result = await bench.measure(n, rate).catch((error: unknown) => ({ subscribers: n, rate, notRun: `failed: ${error instanceof Error ? error.message : String(error)}` }));
        results.push(result);
        if ('notRun' in result || result.delivered !== result.expectedDeliveries || result.wrong + result.failures > 0) process.exitCode = 1;
      }
    }
  } finally {
    await cleanup();
  }

  const redisLeftovers = await clearRedisNamespace(redisUrl, stack.namespace);
  const { file, text } = await writeSubscriptionsReport(resultsDir, {
    date: new Date().toISOString(),
    settings: { subscribers: sizes, rates, events: fixedEvents, seconds, gateways: gatewayCount, clientProcesses, drainSeconds: drainMs / 1000, redisUrl, namespace: stack.namespace, gatewayCpu: stack.gatewayCpu, benchCpus: stack.benchCpus },
    command: `npm run bench:subscriptions -- ${process.argv.slice(2).join(' ')}`,
    query,
    machine: machine(),
    versions: versions(['@apollo/gateway', '@apollo/query-planner', 'graphql', 'graphql-ws', 'ws', 'ioredis', 'graphql-redis-subscriptions']),
    limits,
    results,
    redisLeftovers,
    wallSeconds: (Date.now() - started) / 1000,
  });
  process.stdout.write(`\n${text}\n`);
  log(`wrote ${path.relative(root, file)}`);
}

/** The measurements over one running stack and seeded product. */
class LiveBench {
  /** Each published event's stock is one more than the last, so a payload names its event. */
  private stock = 0;
  /** The gateways' stats (after a GC) before the first measured N, with no subscriber: what every N's memory is measured from. */
  private baseline: Awaited<ReturnType<LiveStack['gateway']['memberStats']>> | null = null;

  constructor(
    private readonly stack: LiveStack,
    private readonly seeded: Seeded,
  ) {}

  /** One subscriber and a few events first, so the code paths are compiled before memory is read. */
  async warmUp(): Promise<void> {
    const result = await this.measure(1, 10, 3, true);
    if (result.delivered !== 3 || result.wrong > 0) throw new Error('the warm-up subscriber did not receive its 3 events as expected');
    log('warmed up');
  }

  /** Connects n subscribers, reads the gateways idle, publishes the events at `rate` and waits for them, then disconnects everyone. */
  async measure(n: number, rate: number, events = eventsAt(rate), quiet = false): Promise<MeasuredSize> {
    const { gateway } = this.stack;
    const loadBefore = os.loadavg()[0]!;
    // Memory is measured from the gateways' state before the first measured N: RSS does not shrink
    // when connections close (V8 and malloc keep the pages to reuse), so the reading before a later,
    // larger N would already hold most of what the earlier N grew and understate its cost.
    const before = quiet ? await gateway.memberStats(true) : (this.baseline ??= await gateway.memberStats(true));
    const tokens = Array.from({ length: n }, () => signAccessToken({ userId: randomUUID(), role: 'CUSTOMER' }, benchJwt));
    const first = this.stock + 1;
    this.stock += events;
    const publishedAt = new Float64Array(events).fill(NaN);
    const ats: string[] = [];
    const expected = this.seeded.product;

    const connecting = nowMs();
    const clients = await SubscriberClients.open({
      urls: gateway.urls.map((url) => url.replace(/^http/, 'ws')),
      tokens,
      query,
      variablesOf: () => ({ productIds: [this.seeded.productId] }),
      processes: Math.min(clientProcesses, n),
      concurrency: connectConcurrency,
      capacity: events,
      cpus: this.stack.benchCpus,
      awaitCurrent: false,
    });
    try {
      // graphql-ws does not acknowledge a subscribe; the gateways' count says when every one has joined.
      await this.statsUntil((s) => s.subscribers === n, 120_000, `${n} subscribers to join`);
      const connectSeconds = (nowMs() - connecting) / 1000;
      await sleep(2_000);
      const idle = await gateway.memberStats(true);
      const memory: GatewayMemory[] = idle.map((s, k) => ({
        rssBefore: before[k]!.rss,
        rssIdle: s.rss,
        heapBefore: before[k]!.heapUsed,
        heapIdle: s.heapUsed,
        subscribers: s.subscriptions?.subscribers ?? 0,
      }));
      const phase = await this.publish(clients, rate, events, first, publishedAt, ats);
      const receipts = await clients.receipts();
      const counted = tally(receipts, {
        events,
        publishedAt,
        audience: () => n,
        eventOf: (payload) => {
          const { data, errors } = payload as { data?: { inventoryChanged?: Record<string, unknown> }; errors?: unknown };
          const change = data?.inventoryChanged;
          if (errors !== undefined || !change || typeof change.stock !== 'number') return null;
          const event = change.stock - first;
          const product = change.product as Seeded['product'] | undefined;
          const right =
            change.previousStock === change.stock - 1 &&
            change.reason === 'RESTOCKED' &&
            change.at === ats[event] &&
            product?.name === expected.name &&
            product.shop?.name === expected.shop.name &&
            product.shop.owner?.name === expected.shop.owner.name;
          return right ? event : null;
        },
      });
      const result: MeasuredSize = {
        subscribers: n,
        rate,
        connectSeconds,
        memory,
        events,
        achievedRate: events > 1 ? (events - 1) / ((publishedAt[events - 1]! - publishedAt[0]!) / 1000) : rate,
        eventsReached: counted.eventsReached,
        firstClient: counted.firstClient,
        lastClient: counted.lastClient,
        allDeliveries: counted.allDeliveries,
        expectedDeliveries: counted.expected,
        delivered: counted.delivered,
        wrong: counted.wrong,
        failures: receipts.failures,
        resolutions: phase.resolutions,
        instances: memory.filter((m) => m.subscribers > 0).length,
        subgraphRequests: phase.subgraphRequests,
        phaseSeconds: phase.seconds,
        gatewayCpuMs: phase.gatewayCpuMs,
        clientCpuMs: phase.clientCpuMs,
        benchCpuMs: phase.benchCpuMs,
        loadAverage: [loadBefore, os.loadavg()[0]!],
      };
      if (!quiet) {
        log(
          `${n} subscribers at ${rate}/s: connected in ${connectSeconds.toFixed(1)} s, RSS per idle connection (per gateway) ${memory.map((m) => perConnection(m.rssIdle - m.rssBefore, m.subscribers)).join(' / ')}; ` +
            `first client p50 ${result.firstClient.p50.toFixed(1)} ms; last client p50 ${result.lastClient.p50.toFixed(1)} ms p99 ${result.lastClient.p99.toFixed(1)} ms max ${result.lastClient.max.toFixed(1)} ms; ` +
            `all p99 ${result.allDeliveries.p99.toFixed(1)} ms; ${result.resolutions} resolutions for ${result.eventsReached} events; ` +
            `delivered ${result.delivered}/${result.expectedDeliveries}, wrong ${result.wrong}, failed ${result.failures}; CPU gateways ${result.gatewayCpuMs.toFixed(0)} ms, subscribers ${result.clientCpuMs.toFixed(0)} ms`,
        );
      }
      return result;
    } finally {
      await clients.stop();
      await this.statsUntil((s) => s.subscribers === 0 && s.shared === 0, 120_000, 'every subscriber to leave');
    }
  }

  /** Publishes on schedule (open loop: late deliveries do not slow it) and waits for every delivery or the drain timeout. */
  private async publish(clients: SubscriberClients, rate: number, events: number, first: number, publishedAt: Float64Array, ats: string[]) {
    const { gateway, subgraphs, publisher } = this.stack;
    for (const subgraph of subgraphs) subgraph.requests.count = 0;
    const before = await gateway.stats();
    const clientsBefore = await clients.progress();
    const benchBefore = process.cpuUsage();
    const start = nowMs();
    const intervalMs = 1000 / rate;
    const { productId, shopId } = this.seeded;
    for (let event = 0; event < events; event++) {
      await sleep(start + event * intervalMs - nowMs());
      const stock = first + event;
      const at = nowMs();
      publishedAt[event] = at;
      ats[event] = new Date(at).toISOString();
      const change = domainEvent('inventory.changed', productId, { productId, shopId, previousStock: stock - 1, stock, reason: 'RESTOCKED', orderId: null });
      // What catalog's live announcer publishes for the change, at the bench's own clock.
      for (const { channel, message } of catalogSubgraph.live!({ ...change, occurredAt: ats[event]! })) await publisher.publish(channel, message);
    }
    const expected = clients.size * events;
    const deadline = nowMs() + drainMs;
    let progress = await clients.progress();
    while (progress.delivered < clientsBefore.delivered + expected && nowMs() < deadline) {
      await sleep(20);
      progress = await clients.progress();
    }
    const end = nowMs();
    const after = await gateway.stats();
    const bench = process.cpuUsage(benchBefore);
    return {
      seconds: (end - start) / 1000,
      resolutions: (after.subscriptions?.resolutions ?? 0) - (before.subscriptions?.resolutions ?? 0),
      subgraphRequests: Object.fromEntries(subgraphs.map((s) => [s.name, s.requests.count])),
      gatewayCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
      clientCpuMs: (progress.cpuMicros - clientsBefore.cpuMicros) / 1000,
      benchCpuMs: (bench.user + bench.system) / 1000,
    };
  }

  private async statsUntil(done: (s: { subscribers: number; shared: number }) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      const { subscriptions } = await this.stack.gateway.stats();
      if (!subscriptions) throw new Error('the gateway serves no subscriptions');
      if (done(subscriptions)) return;
      if (nowMs() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (gateway has ${JSON.stringify(subscriptions)})`);
      await sleep(100);
    }
  }
}

runBench(main);
