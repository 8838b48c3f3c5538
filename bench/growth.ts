/**
 * Cost that grows right, along three doubled dimensions, so that a
 * superlinear step shows at once (lib/growth-steps.ts marks a step whose
 * cost per unit grew more than 1.5×):
 *
 * - orders in a list: `myOrders` (all five subgraphs) for 25, 50, … 1600
 *   orders (BENCH_GROWTH_STEPS), BENCH_GROWTH_REPEATS (20) sequential requests
 *   per step, every answer checked; time, gateway CPU, response size, heap
 *   after a GC, and the SQL statements per request, which must not grow at
 *   all (DataLoader batching);
 * - subscribers: bench/subscriptions.ts for 250, 500, … 8000 subscribers
 *   (BENCH_GROWTH_SUBSCRIBERS) of one subscription at 10 events/s;
 * - events per second: bench/subscriptions.ts for 25, 50, … 800 events/s
 *   (BENCH_GROWTH_RATES) to BENCH_GROWTH_RATE_SUBSCRIBERS (100) subscribers,
 *   3 s each; the two subscription dimensions report publish → last client
 *   p50/p99, gateway CPU per delivery and RSS per idle connection.
 *
 *   npm run bench:growth            (BENCH_GROWTH_DIMENSIONS=orders,subscribers,events)
 *
 * Over loopback only: a fresh Postgres database, the five subgraphs in this
 * process (lib/subgraphs.ts) and our gateway in a process of its own
 * (lib/gateway-process.ts); each subscription dimension runs
 * bench/subscriptions.ts as a child with one gateway. Results:
 * bench/results/growth-<timestamp>.md. BENCH_SMOKE=1: tiny steps of each
 * dimension (one 2 × 2 grid of subscribers and rates), nothing written.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { signAccessToken } from '@commerce/service-kit';
import { createTestDatabase, recordQueries } from '@commerce/service-kit/testing';
import { startGatewayProcess } from './lib/children';
import { machine, versions } from './lib/environment';
import { growthTable } from './lib/growth-steps';
import { growthStep, measured, rssPerConnectionKb, type MeasuredSize, type SubscriptionsReport } from './lib/subscriptions-report';
import { ordersQuery, responseChecker } from './lib/scenarios';
import { seed } from './lib/seed';
import { startSubgraphs } from './lib/subgraphs';
import { runBench } from './lib/run-bench';

const smoke = process.env.BENCH_SMOKE === '1';
const steps = smoke ? [5, 10] : (process.env.BENCH_GROWTH_STEPS ?? '25,50,100,200,400,800,1600').split(',').map(Number);
const repeats = smoke ? 3 : Number(process.env.BENCH_GROWTH_REPEATS ?? 20);
const dimensions = new Set((process.env.BENCH_GROWTH_DIMENSIONS ?? 'orders,subscribers,events').split(','));
const subscriberSteps = process.env.BENCH_GROWTH_SUBSCRIBERS ?? '250,500,1000,2000,4000,8000';
const rateSteps = process.env.BENCH_GROWTH_RATES ?? '25,50,100,200,400,800';
const rateSubscribers = process.env.BENCH_GROWTH_RATE_SUBSCRIBERS ?? '100';
const root = path.resolve(__dirname, '..');
const resultsDir = path.join(__dirname, 'results');
const jwt = { secret: 'benchmark-secret-of-sufficient-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };

interface Step {
  orders: number;
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  responseBytes: number;
  heapMb: number;
  rssMb: number;
  statementsPerRequest: number;
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

function log(message: string): void {
  process.stdout.write(`[bench:growth] ${message}\n`);
}

/** The orders dimension's section of the report, and whether its SQL statement count stayed constant. */
async function ordersDimension(): Promise<{ lines: string[]; ok: boolean }> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (let step = cleanups.pop(); step; step = cleanups.pop()) await step().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const subgraphs = await startSubgraphs(database.url);
    cleanups.push(() => subgraphs.stop());
    const byName = Object.fromEntries(subgraphs.running.map((s) => [s.name, s]));
    const missing = Object.keys(subgraphs.missing);
    if (missing.length > 0) throw new Error(`every subgraph is needed; missing: ${missing.join(', ')}`);
    const dataSources = subgraphs.running.map((s) => s.dataSource);

    const scratch = await mkdtemp(path.join(tmpdir(), 'bench-growth-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const supergraphPath = path.join(scratch, 'supergraph.graphql');
    await writeFile(supergraphPath, readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
    // The longest lists cost more than the default operation cost limit allows; the limit is not what is measured.
    const clientsPath = path.join(scratch, 'clients.json');
    await writeFile(clientsPath, JSON.stringify({ anonymous: { mode: 'ALLOW', limits: { cost: 10_000_000 } } }));
    const gateway = await startGatewayProcess(
      { kind: 'ours', supergraphPath, subgraphUrls: Object.fromEntries(subgraphs.running.map((s) => [s.name, s.server.url])), jwt, clientsPath },
      { cpu: os.cpus().length >= 2 ? os.cpus().length - 1 : null, nodeFlags: ['--expose-gc'] },
    );
    cleanups.push(() => gateway.stop());

    const results: Step[] = [];
    for (const orders of steps) {
      const seeded = await seed(
        { users: byName.users!.dataSource, catalog: byName.catalog!.dataSource, orders: byName.orders!.dataSource, payments: byName.payments!.dataSource, logistics: byName.logistics!.dataSource },
        orders,
      );
      const check = responseChecker({ name: 'orders', description: '', query: ordersQuery, expectedData: { myOrders: seeded.expectedOrders } });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${signAccessToken({ userId: seeded.customer.id, role: seeded.customer.role }, jwt)}` };
      const ask = async () => {
        const response = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: ordersQuery }) });
        const text = await response.text();
        if (!check(text)) throw new Error(`wrong answer for ${orders} orders: ${text.slice(0, 300)}`);
        return text.length;
      };
      // Warm: plans cached, connections open.
      await ask();
      const { queries } = await recordQueries(dataSources, ask);
      const before = await gateway.stats();
      const times: number[] = [];
      let responseBytes = 0;
      for (let i = 0; i < repeats; i += 1) {
        const started = performance.now();
        responseBytes = await ask();
        times.push(performance.now() - started);
      }
      const after = await gateway.stats(true);
      const step: Step = {
        orders,
        medianMs: quantile(times, 0.5),
        p90Ms: quantile(times, 0.9),
        p99Ms: quantile(times, 0.99),
        cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / repeats,
        responseBytes,
        heapMb: after.heapUsed / 1e6,
        rssMb: after.rss / 1e6,
        statementsPerRequest: queries.length,
      };
      results.push(step);
      log(`${orders} orders: median ${step.medianMs.toFixed(1)} ms, p90 ${step.p90Ms.toFixed(1)} ms, gateway cpu ${step.cpuMsPerRequest.toFixed(2)} ms, ${step.statementsPerRequest} SQL statements, heap ${step.heapMb.toFixed(0)} MB`);
    }

    const constantStatements = results.every((r) => r.statementsPerRequest === results[0]!.statementsPerRequest);
    const factor = (i: number, pick: (s: Step) => number) => (i === 0 ? '' : `${(pick(results[i]!) / pick(results[i - 1]!)).toFixed(2)}×`);
    const lines = [
      '## Orders in a list',
      '',
      `\`myOrders\` across all five subgraphs through our gateway, the list doubled at each step; ${repeats} sequential requests per step, every answer checked. Growth factors compare a step with the one before (2.00× is linear for a doubled list).`,
      '',
      '| orders | median | × | p90 | gateway CPU / request | × | response | × | gateway heap after GC | SQL statements / request |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map(
        (r, i) =>
          `| ${r.orders} | ${r.medianMs.toFixed(1)} ms | ${factor(i, (s) => s.medianMs)} | ${r.p90Ms.toFixed(1)} ms | ${r.cpuMsPerRequest.toFixed(2)} ms | ${factor(i, (s) => s.cpuMsPerRequest)} | ${(r.responseBytes / 1024).toFixed(0)} KB | ${factor(i, (s) => s.responseBytes)} | ${r.heapMb.toFixed(0)} MB | ${r.statementsPerRequest} |`,
      ),
      '',
      constantStatements ? `SQL statements per request: ${results[0]!.statementsPerRequest} at every size (constant, as DataLoader batching promises).` : 'SQL statements per request GREW with the list: a resolver is not batched.',
      '',
      `Per order (time is per request, CPU per order listed; p99 of ${repeats} requests is their slowest):`,
      '',
      ...growthTable(
        'orders',
        results.map((r) => ({ units: r.orders, p50Ms: r.medianMs, p99Ms: r.p99Ms, cpuPerUnitMicros: (r.cpuMsPerRequest * 1000) / r.orders, memoryPerUnitKb: null })),
      ),
      '',
    ];
    return { lines, ok: constantStatements };
  } finally {
    await cleanup();
  }
}

/** Runs bench/subscriptions.ts with `args` (one gateway) into a scratch directory and reads its report back. */
async function subscriptionsRun(args: string[]): Promise<{ report: SubscriptionsReport | null; exitCode: number | null }> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-growth-subs-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'subscriptions.ts'), ...args, '--gateways', '1'], {
      cwd: root,
      // Its report is read back from the JSON; only its progress lines (and errors) show here.
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_RESULTS_DIR: scratch, APOLLO_TELEMETRY_DISABLED: 'true' },
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('[bench]')) process.stdout.write(`  ${line}\n`);
    });
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const json = (await readdir(scratch)).find((name) => name.endsWith('.json'));
    return { report: json ? (JSON.parse(await readFile(path.join(scratch, json), 'utf8')) as SubscriptionsReport) : null, exitCode };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A subscription dimension's section from `runs` (one per step): `pick` reads the doubled quantity from a run. */
function subscriptionsSection(title: string, command: string, runs: MeasuredSize[], pick: 'subscribers' | 'rate', exitCode: number | null): { lines: string[]; ok: boolean } {
  const lines = [`## ${title}`, '', `\`${command}\` (one gateway process; latency is publish → last client, CPU the gateway's per delivery, memory its RSS per idle connection):`, ''];
  if (runs.length === 0) return { lines: [...lines, `Not measured: the run ended with exit code ${exitCode} and no result.`, ''], ok: false };
  lines.push(...growthTable(pick === 'rate' ? 'events/s' : 'subscribers', runs.map((r) => ({ ...growthStep(r, r[pick]), memoryPerUnitKb: pick === 'rate' ? null : rssPerConnectionKb(r) }))), '');
  const incomplete = runs.filter((r) => r.delivered !== r.expectedDeliveries || r.wrong + r.failures > 0);
  if (incomplete.length > 0) lines.push(`Deliveries missing or wrong: ${incomplete.map((r) => `${r[pick]}: ${r.delivered}/${r.expectedDeliveries}, ${r.wrong} wrong, ${r.failures} failed`).join('; ')}.`, '');
  return { lines, ok: incomplete.length === 0 && exitCode === 0 };
}

/** Runs bench/subscriptions.ts once with `args` and makes the sections of the dimensions asked for from its runs. */
async function subscriptionsDimensions(args: string[], wanted: ('subscribers' | 'rate')[]): Promise<{ lines: string[]; ok: boolean }[]> {
  const command = `npm run bench:subscriptions -- ${args.join(' ')} --gateways 1`;
  log(command);
  const { report, exitCode } = await subscriptionsRun(args);
  const runs = report ? measured(report.results) : [];
  // Steps of one dimension hold the other at its first value.
  return wanted.map((pick) =>
    pick === 'subscribers'
      ? subscriptionsSection('Subscribers', command, runs.filter((r) => r.rate === runs[0]?.rate), 'subscribers', exitCode)
      : subscriptionsSection('Events per second', command, runs.filter((r) => r.subscribers === runs[0]?.subscribers), 'rate', exitCode),
  );
}

async function main(): Promise<void> {
  const sections: { lines: string[]; ok: boolean }[] = [];
  if (dimensions.has('orders')) sections.push(await ordersDimension());
  const bySubscribers = dimensions.has('subscribers');
  const byRate = dimensions.has('events');
  if (smoke && (bySubscribers || byRate)) {
    // One small grid gives both dimensions, on one stack start: the smoke stays short.
    sections.push(...(await subscriptionsDimensions(['--subscribers', '5,10', '--rate', '5,10', '--seconds', '1'], [...(bySubscribers ? ['subscribers' as const] : []), ...(byRate ? ['rate' as const] : [])])));
  } else {
    if (bySubscribers) sections.push(...(await subscriptionsDimensions(['--subscribers', subscriberSteps, '--events', '20', '--rate', '10'], ['subscribers'])));
    if (byRate) sections.push(...(await subscriptionsDimensions(['--subscribers', rateSubscribers, '--rate', rateSteps, '--seconds', '3'], ['rate'])));
  }
  const markdown = [
    `# Growth benchmark — ${new Date().toISOString()}`,
    '',
    ...sections.flatMap((section) => section.lines),
    `Load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}. Machine: ${machine().cpuModel}, ${machine().cores} cores. Versions: ${Object.entries(versions(['@apollo/gateway', 'graphql', 'pg', 'ws'])).map(([n, v]) => `${n} ${v}`).join(', ')}.`,
    '',
  ].join('\n');
  process.stdout.write(`${markdown}\n`);
  if (!smoke) {
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `growth-${new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, '')}.md`);
    await writeFile(file, markdown);
    log(`wrote ${path.relative(root, file)}`);
  }
  if (sections.some((section) => !section.ok)) process.exitCode = 1;
}

runBench(main);
