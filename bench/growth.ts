/**
 * Cost that grows right: doubles the length of a list at each step and shows
 * how the time and memory of answering it grow, so that a superlinear step
 * shows at once, and counts the SQL statements each request costs, which
 * must not grow at all (DataLoader batching).
 *
 *   npm run bench:growth
 *
 * Over loopback only: a fresh Postgres database, the five subgraphs in this
 * process (lib/subgraphs.ts) and our gateway in a process of its own
 * (lib/gateway-process.ts). For each step N (default 25, 50, … 1600; knob
 * BENCH_GROWTH_STEPS=25,50,100) a new customer gets N orders (lib/seed.ts),
 * then `myOrders` with customer, shop, items, payment and shipment (all five
 * subgraphs) is asked BENCH_GROWTH_REPEATS times (default 20) one at a time,
 * every answer checked against the seeded data. Reported per step: median
 * and p90 latency, gateway CPU per request, response size, the gateway's heap
 * after a GC, SQL statements per request, and each figure's growth factor
 * against the previous step (2.0 is linear for a doubled list; the time
 * column is flagged above 2.5). Subscribers and events per second are
 * doubled by `npm run bench:subscriptions -- --subscribers 125,250,500,1000,2000`
 * (its table reports per N). Results: bench/results/growth-<timestamp>.md.
 * BENCH_SMOKE=1: steps 5 and 10, 3 repeats, nothing written.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { signAccessToken } from '@commerce/service-kit';
import { createTestDatabase, recordQueries } from '@commerce/service-kit/testing';
import { startGatewayProcess } from './lib/children';
import { machine, versions } from './lib/environment';
import { ordersQuery, responseChecker } from './lib/scenarios';
import { seed } from './lib/seed';
import { startSubgraphs } from './lib/subgraphs';
import { runBench } from './lib/run-bench';

const smoke = process.env.BENCH_SMOKE === '1';
const steps = smoke ? [5, 10] : (process.env.BENCH_GROWTH_STEPS ?? '25,50,100,200,400,800,1600').split(',').map(Number);
const repeats = smoke ? 3 : Number(process.env.BENCH_GROWTH_REPEATS ?? 20);
const root = path.resolve(__dirname, '..');
const resultsDir = path.join(__dirname, 'results');
const jwt = { secret: 'benchmark-secret-of-sufficient-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };

interface Step {
  orders: number;
  medianMs: number;
  p90Ms: number;
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

async function main(): Promise<void> {
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
      `# Growth benchmark — ${new Date().toISOString()}`,
      '',
      `\`myOrders\` across all five subgraphs through our gateway, the list doubled at each step; ${repeats} sequential requests per step, every answer checked. Growth factors compare a step with the one before (2.00× is linear for a doubled list; a time factor above 2.5× is marked ⚠).`,
      '',
      '| orders | median | × | p90 | gateway CPU / request | × | response | × | gateway heap after GC | SQL statements / request |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map((r, i) => {
        const timeFactor = factor(i, (s) => s.medianMs);
        const flag = i > 0 && r.medianMs / results[i - 1]!.medianMs > 2.5 ? ' ⚠' : '';
        return `| ${r.orders} | ${r.medianMs.toFixed(1)} ms | ${timeFactor}${flag} | ${r.p90Ms.toFixed(1)} ms | ${r.cpuMsPerRequest.toFixed(2)} ms | ${factor(i, (s) => s.cpuMsPerRequest)} | ${(r.responseBytes / 1024).toFixed(0)} KB | ${factor(i, (s) => s.responseBytes)} | ${r.heapMb.toFixed(0)} MB | ${r.statementsPerRequest} |`;
      }),
      '',
      constantStatements ? `SQL statements per request: ${results[0]!.statementsPerRequest} at every size (constant, as DataLoader batching promises).` : 'SQL statements per request GREW with the list: a resolver is not batched.',
      '',
      `Load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}. Machine: ${machine().cpuModel}, ${machine().cores} cores. Versions: ${Object.entries(versions(['@apollo/gateway', 'graphql', 'pg'])).map(([n, v]) => `${n} ${v}`).join(', ')}.`,
      '',
    ];
    const markdown = lines.join('\n');
    process.stdout.write(`${markdown}\n`);
    if (!smoke) {
      await mkdir(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `growth-${new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, '')}.md`);
      await writeFile(file, markdown);
      log(`wrote ${path.relative(root, file)}`);
    }
    if (!constantStatements) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

runBench(main);
