/**
 * Subscriptions benchmark: N graphql-ws subscribers of one subscription on
 * one gateway instance (or --gateways K, spread over K processes as
 * GATEWAY_WORKERS=K would) fed by real Redis, M events published at a fixed rate.
 *
 *   npm run bench:subscriptions -- --subscribers 100,1000,10000 --events 50 --rate 10 [--gateways 2]
 *
 * The subgraphs run in this process over a fresh Postgres database; the
 * gateway runs in its own Node process (pinned to the last core when there
 * are two or more, this process to the others) so that its RSS and CPU are
 * its own. For each N, in rising order: the gateway's memory with no
 * subscriber and with N idle ones, then M stock changes published with
 * RedisLivePubSub exactly as catalog announces them, each carrying its
 * publish time in `at`; every subscriber's receipt of every event is timed.
 * Resolutions per event come from the gateway's subscriptionStats(). Writes
 * bench/results/subscriptions-<timestamp>.md and prints it; exits non-zero
 * when a delivery was missing or wrong. --max-seconds bounds the whole run;
 * BENCH_PROFILE=1 runs the gateway under --cpu-prof (bench/results/profiles/subscriptions/).
 */
import { mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogSubgraph } from '@commerce/catalog';
import { domainEvent } from '@commerce/events';
import { RedisLivePubSub } from '@commerce/pubsub';
import { signAccessToken, type JwtSettings } from '@commerce/service-kit';
import { createTestDatabase } from '@commerce/service-kit/testing';
import { startGatewayProcess, type GatewayChild } from './lib/children';
import { GatewayGroup } from './lib/gateway-group';
import { machine, versions } from './lib/environment';
import { clearRedisNamespace } from './lib/redis-namespace';
import { socketLimits, socketShortfall } from './lib/socket-limits';
import { startSubgraphs, type BenchSubgraph } from './lib/subgraphs';
import { latencyOf, writeSubscriptionsReport, type MeasuredSize, type SizeResult } from './lib/subscriptions-report';
import { nowMs, openSubscribers, type SubscriberPool } from './lib/ws-subscribers';
import { runBench } from './lib/run-bench';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100,1000,10000' },
    events: { type: 'string', default: '50' },
    rate: { type: 'string', default: '10' },
    'max-seconds': { type: 'string', default: '600' },
    gateways: { type: 'string', default: '1' },
  },
});
const sizes = args.subscribers.split(',').map(Number).sort((a, b) => a - b);
const eventCount = Number(args.events);
const rate = Number(args.rate);
const maxSeconds = Number(args['max-seconds']);
const gatewayCount = Number(args.gateways);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(eventCount >= 1) || !(rate > 0) || !(maxSeconds > 0) || !(Number.isInteger(gatewayCount) && gatewayCount >= 1)) {
  throw new Error('usage: --subscribers 100,1000 --events 50 --rate 10 --max-seconds 600 (positive numbers)');
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `bench-subs-${randomBytes(4).toString('hex')}`;
const root = path.resolve(__dirname, '..');
const resultsDir = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
const jwt: JwtSettings = { secret: 'benchmark-secret-of-sufficient-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };
/** Handshakes in flight at once: well under the gateway's listen backlog (511). */
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

/** Pins this process (every thread) away from the gateway's core, so the subscribers do not compete with it. */
function pinSelf(gatewayCpu: number | null): string | null {
  if (gatewayCpu === null || gatewayCpu < 1 || !existsSync('/usr/bin/taskset')) return null;
  const cpus = gatewayCpu === 1 ? '0' : `0-${gatewayCpu - 1}`;
  execFileSync('/usr/bin/taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
  return cpus;
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
  let gatewayCpu: number | null = null;
  let benchCpus: string | null = null;
  try {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const subgraphs = await startSubgraphs(database.url);
    cleanups.push(() => subgraphs.stop());
    const byName = Object.fromEntries(subgraphs.running.map((s) => [s.name, s]));
    if (!byName.users || !byName.catalog) throw new Error(`the users and catalog subgraphs are required; missing: ${JSON.stringify(subgraphs.missing)}`);
    const seeded = await seed(byName.users, byName.catalog);

    // One gateway gets the last core to itself; several share every core with this process, as a cluster would.
    gatewayCpu = gatewayCount === 1 && os.cpus().length >= 2 ? os.cpus().length - 1 : null;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const members: GatewayChild[] = [];
    cleanups.push(() => Promise.all(members.map((member) => member.stop())).then(() => undefined));
    for (let k = 0; k < gatewayCount; k++) {
      members.push(
        await startGatewayProcess(
          {
            kind: 'ours',
            supergraphPath: path.join(root, 'schema/supergraph.graphql'),
            subgraphUrls: Object.fromEntries(subgraphs.running.map((s) => [s.name, s.server.url])),
            jwt,
            live: { url: redisUrl, namespace },
          },
          // --expose-gc: memory is read after a full collection, so garbage does not count as connections.
          { cpu: gatewayCpu, nodeFlags: ['--expose-gc'], profileDir },
        ),
      );
    }
    const gateway = new GatewayGroup(members);
    benchCpus = pinSelf(gatewayCpu);
    log(`gateways ${gateway.urls.join(' ')} (pids ${gateway.pids.join(' ')}${gatewayCpu === null ? '' : `, cpu ${gatewayCpu}`}), Redis namespace ${namespace}${benchCpus === null ? '' : `, bench on cpu ${benchCpus}`}`);

    const publisher = await RedisLivePubSub.connect({ url: redisUrl, namespace });
    cleanups.push(() => publisher.close());
    const bench = new LiveBench(gateway, publisher, seeded, subgraphs.running);

    await bench.warmUp();
    for (const n of sizes) {
      const shortfall = socketShortfall(limits, n);
      if (shortfall) {
        log(`${n} subscribers: not run, ${shortfall}`);
        results.push({ subscribers: n, notRun: shortfall });
        continue;
      }
      const result = await bench.measure(n).catch((error: unknown) => ({ subscribers: n, notRun: `failed: ${error instanceof Error ? error.message : String(error)}` }));
      results.push(result);
      if ('notRun' in result || result.delivered !== result.expectedDeliveries || result.wrong + result.failures > 0) process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }

  const redisLeftovers = await clearRedisNamespace(redisUrl, namespace);
  const { file, text } = await writeSubscriptionsReport(resultsDir, {
    date: new Date().toISOString(),
    settings: { subscribers: sizes, events: eventCount, rate, gateways: gatewayCount, drainSeconds: drainMs / 1000, redisUrl, namespace, gatewayCpu, benchCpus },
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

/** The measurements over one running gateway, publisher and seeded product. */
class LiveBench {
  /** Each published event's stock is one more than the last, so a payload names its event. */
  private stock = 0;

  constructor(
    private readonly gateway: GatewayGroup,
    private readonly publisher: RedisLivePubSub,
    private readonly seeded: Seeded,
    private readonly subgraphs: BenchSubgraph[],
  ) {}

  /** One subscriber and a few events first, so the code paths are compiled before memory is read. */
  async warmUp(): Promise<void> {
    const run = await this.run(1, 3);
    if (run.pool.delivered() !== 3 || run.pool.counts.wrong > 0) throw new Error('the warm-up subscriber did not receive its 3 events as expected');
    log('warmed up');
  }

  async measure(n: number): Promise<MeasuredSize> {
    const loadBefore = os.loadavg()[0]!;
    const before = await this.gateway.stats(true);
    const { pool, connectSeconds, idle, phase } = await this.run(n, eventCount);
    const { received } = pool;
    const all = new Float64Array(pool.delivered());
    const first: number[] = [];
    const last: number[] = [];
    let k = 0;
    for (let event = 0; event < eventCount; event++) {
      let best = Infinity;
      let worst = -Infinity;
      let everyone = true;
      for (let s = 0; s < n; s++) {
        const at = received[s * eventCount + event]!;
        if (Number.isNaN(at)) everyone = false;
        else {
          const latency = at - phase.publishedAt[event]!;
          all[k++] = latency;
          best = Math.min(best, latency);
          worst = Math.max(worst, latency);
        }
      }
      if (best !== Infinity) first.push(best);
      if (everyone) last.push(worst);
    }
    const result: MeasuredSize = {
      subscribers: n,
      connectSeconds,
      memory: { rssBefore: before.rss, rssIdle: idle.rss, heapBefore: before.heapUsed, heapIdle: idle.heapUsed },
      events: eventCount,
      achievedRate: eventCount > 1 ? (eventCount - 1) / ((phase.publishedAt[eventCount - 1]! - phase.publishedAt[0]!) / 1000) : rate,
      eventsReached: first.length,
      firstClient: latencyOf(Float64Array.from(first)),
      lastClient: latencyOf(Float64Array.from(last)),
      allDeliveries: latencyOf(all.subarray(0, k)),
      expectedDeliveries: n * eventCount,
      delivered: pool.delivered(),
      wrong: pool.counts.wrong,
      failures: pool.counts.failures,
      resolutions: phase.resolutions,
      subgraphRequests: phase.subgraphRequests,
      phaseSeconds: phase.seconds,
      gatewayCpuMs: phase.gatewayCpuMs,
      benchCpuMs: phase.benchCpuMs,
      loadAverage: [loadBefore, os.loadavg()[0]!],
    };
    const perConnection = (result.memory.rssIdle - result.memory.rssBefore) / 1024 / n;
    log(
      `${n} subscribers: connected in ${connectSeconds.toFixed(1)} s, ${perConnection.toFixed(1)} KB RSS each; ` +
        `first client p50 ${result.firstClient.p50.toFixed(1)} ms; last client p50 ${result.lastClient.p50.toFixed(1)} ms p99 ${result.lastClient.p99.toFixed(1)} ms max ${result.lastClient.max.toFixed(1)} ms; ` +
        `all p99 ${result.allDeliveries.p99.toFixed(1)} ms; ${result.resolutions} resolutions for ${result.eventsReached} events; ` +
        `delivered ${result.delivered}/${result.expectedDeliveries}, wrong ${result.wrong}, failed ${result.failures}; gateway CPU ${result.gatewayCpuMs.toFixed(0)} ms`,
    );
    return result;
  }

  /** Connects n subscribers, reads the gateway idle, publishes `events` events and waits for them, then disconnects everyone. */
  private async run(n: number, events: number) {
    const tokens = Array.from({ length: n }, () => signAccessToken({ userId: randomUUID(), role: 'CUSTOMER' }, jwt));
    const first = this.stock + 1;
    const publishedAt = new Float64Array(events).fill(NaN);
    const ats: string[] = [];
    const expected = this.seeded.product;
    const eventOf = (payload: unknown): number | null => {
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
    };

    const connecting = nowMs();
    const pool = await openSubscribers({
      url: this.gateway.urls.map((url) => url.replace(/^http/, 'ws')),
      tokens,
      subscription: { query, variables: { productIds: [this.seeded.productId] } },
      concurrency: connectConcurrency,
      events,
      eventOf,
    });
    try {
      // graphql-ws does not acknowledge a subscribe; the gateway's count says when every one has joined.
      await this.statsUntil((s) => s.subscribers === n, 120_000, `${n} subscribers to join`);
      const connectSeconds = (nowMs() - connecting) / 1000;
      await sleep(2_000);
      const idle = await this.gateway.stats(true);
      const phase = await this.publish(pool, events, first, publishedAt, ats);
      return { pool, connectSeconds, idle, phase };
    } finally {
      await pool.close();
      await this.statsUntil((s) => s.subscribers === 0 && s.shared === 0, 120_000, 'every subscriber to leave');
    }
  }

  /** Publishes on schedule (open loop: late deliveries do not slow it) and waits for every delivery or the drain timeout. */
  private async publish(pool: SubscriberPool, events: number, first: number, publishedAt: Float64Array, ats: string[]) {
    for (const subgraph of this.subgraphs) subgraph.requests.count = 0;
    const before = await this.gateway.stats();
    const benchBefore = process.cpuUsage();
    const start = nowMs();
    const intervalMs = 1000 / rate;
    for (let event = 0; event < events; event++) {
      await sleep(start + event * intervalMs - nowMs());
      this.stock = first + event;
      const at = nowMs();
      publishedAt[event] = at;
      ats[event] = new Date(at).toISOString();
      const { productId, shopId } = this.seeded;
      const change = domainEvent('inventory.changed', productId, { productId, shopId, previousStock: this.stock - 1, stock: this.stock, reason: 'RESTOCKED', orderId: null });
      // What catalog's live announcer publishes for the change, at the bench's own clock.
      for (const { channel, message } of catalogSubgraph.live!({ ...change, occurredAt: ats[event]! })) await this.publisher.publish(channel, message);
    }
    const expected = pool.size * events;
    const deadline = nowMs() + drainMs;
    while (pool.delivered() < expected && nowMs() < deadline) await sleep(5);
    const end = nowMs();
    const after = await this.gateway.stats();
    const bench = process.cpuUsage(benchBefore);
    return {
      publishedAt,
      seconds: (end - start) / 1000,
      resolutions: (after.subscriptions?.resolutions ?? 0) - (before.subscriptions?.resolutions ?? 0),
      subgraphRequests: Object.fromEntries(this.subgraphs.map((s) => [s.name, s.requests.count])),
      gatewayCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
      benchCpuMs: (bench.user + bench.system) / 1000,
    };
  }

  private async statsUntil(done: (s: { subscribers: number; shared: number }) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      const { subscriptions } = await this.gateway.stats();
      if (!subscriptions) throw new Error('the gateway serves no subscriptions');
      if (done(subscriptions)) return;
      if (nowMs() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (gateway has ${JSON.stringify(subscriptions)})`);
      await sleep(100);
    }
  }
}

runBench(main);
