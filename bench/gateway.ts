/**
 * Gateway benchmark: our gateway against plain @apollo/gateway + @apollo/server
 * on our own supergraph, over loopback only.
 *
 *   npm run bench:gateway
 *
 * The five subgraphs run in this process against a fresh Postgres database
 * (seeded in SQL); each gateway runs in its own Node process, pinned to one
 * core when taskset is available; autocannon alternates between them round
 * by round so that drift on the machine hits both alike. Every response is
 * checked against the seeded data. Results go to bench/results/. Knobs (all
 * optional): BENCH_ROUNDS, BENCH_DURATION (seconds per run), BENCH_CONNECTIONS,
 * BENCH_PROFILE=1 (writes a .cpuprofile per gateway into bench/results/profiles),
 * BENCH_NODE_FLAGS (extra Node flags for both gateway processes).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { signAccessToken, type JwtSettings } from '@commerce/service-kit';
import { createTestDatabase } from '@commerce/service-kit/testing';
import { startGatewayProcess, type GatewayChild } from './lib/children';
import { gatewayKinds, type GatewayKind } from './lib/gateway-process';
import { runLoad, type LoadResult } from './lib/load';
import { writeReports, type BenchReport, type RunRecord } from './lib/report';
import { responseChecker, scenariosFor } from './lib/scenarios';
import { seed } from './lib/seed';
import { startSubgraphs } from './lib/subgraphs';
import { machine, versions } from './lib/environment';
import { readFileSync } from 'node:fs';
import { runBench } from './lib/run-bench';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const warmupSeconds = 2;
const profile = process.env.BENCH_PROFILE === '1';
/** Extra Node flags for both gateway processes alike, e.g. BENCH_NODE_FLAGS=--max-semi-space-size=32. */
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
/** Which gateways to compare; add `ours-nodedup` to see ours without in-flight deduplication. */
const kinds = (process.env.BENCH_GATEWAYS ?? 'ours,baseline').split(',').map((k) => k.trim()) as GatewayKind[];

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(__dirname, 'results');
const jwt: JwtSettings = { secret: 'benchmark-secret-of-sufficient-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    // Last started, first stopped; each step runs once even if SIGINT races the normal end.
    for (let step = cleanups.pop(); step; step = cleanups.pop()) {
      await step().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    }
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const subgraphs = await startSubgraphs(database.url);
    cleanups.push(() => subgraphs.stop());
    for (const [name, why] of Object.entries(subgraphs.missing)) log(`subgraph ${name} not available yet, left out: ${why}`);
    const byName = Object.fromEntries(subgraphs.running.map((s) => [s.name, s]));
    if (!byName.users) throw new Error('the users subgraph is required');
    log(`subgraphs up: ${subgraphs.running.map((s) => `${s.name} ${s.server.url}`).join(', ')}`);

    const crossSubgraph = ['catalog', 'orders', 'payments', 'logistics'].every((name) => byName[name]);
    const seeded = await seed({
      users: byName.users.dataSource,
      catalog: byName.catalog?.dataSource,
      orders: byName.orders?.dataSource,
      payments: byName.payments?.dataSource,
      logistics: byName.logistics?.dataSource,
    });
    const scenarios = scenariosFor(seeded, crossSubgraph);
    const token = signAccessToken({ userId: seeded.customer.id, role: seeded.customer.role }, jwt);

    // The checked-in supergraph, routed to the ports the subgraphs got.
    const scratch = await mkdtemp(path.join(tmpdir(), 'bench-gateway-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const supergraphPath = path.join(scratch, 'supergraph.graphql');
    await writeFile(supergraphPath, readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
    const subgraphUrls = Object.fromEntries(subgraphs.running.map((s) => [s.name, s.server.url]));

    const profileDir = profile ? path.join(resultsDir, 'profiles') : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const cpu = os.cpus().length >= 2 ? os.cpus().length - 1 : null;
    const unknown = kinds.filter((k) => !gatewayKinds.includes(k));
    if (unknown.length > 0 || !kinds.includes('baseline')) throw new Error(`BENCH_GATEWAYS must include baseline and only ${gatewayKinds.join(', ')}`);
    const gateways: GatewayChild[] = [];
    for (const kind of kinds) {
      const gateway = await startGatewayProcess({ kind, supergraphPath, subgraphUrls, jwt }, { cpu, profileDir, nodeFlags });
      gateways.push(gateway);
      cleanups.push(() => gateway.stop());
    }
    log(`gateways up: ${gateways.map((g) => `${g.kind} ${g.url} (pid ${g.pid})`).join(', ')}${cpu === null ? '' : `, all pinned to cpu ${cpu}`}`);

    const headers = { authorization: `Bearer ${token}` };
    const runs: RunRecord[] = [];
    const peakRss: Record<string, number> = {};
    const fetchesPerLoneRequest: Record<string, Record<string, number>> = {};

    // autocannon abandons requests still in flight when a run ends; let the gateway finish them before counting anew.
    const settle = async () => {
      for (;;) {
        const before = subgraphs.running.reduce((sum, s) => sum + s.requests.count, 0);
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (subgraphs.running.reduce((sum, s) => sum + s.requests.count, 0) === before) return;
      }
    };

    const measure = async (gateway: GatewayChild, scenarioIndex: number, seconds: number): Promise<{ load: LoadResult; subgraphRequestsPerResponse: number; cpuSeconds: number; dedupJoined: number | null }> => {
      const scenario = scenarios[scenarioIndex]!;
      await settle();
      for (const s of subgraphs.running) s.requests.count = 0;
      const before = await gateway.stats();
      const load = await runLoad({
        url: gateway.url,
        body: JSON.stringify({ query: scenario.query }),
        headers,
        connections,
        durationSeconds: seconds,
        verify: responseChecker(scenario),
      });
      const after = await gateway.stats();
      peakRss[gateway.kind] = Math.max(peakRss[gateway.kind] ?? 0, after.rss);
      const subgraphRequests = subgraphs.running.reduce((sum, s) => sum + s.requests.count, 0);
      return {
        load,
        subgraphRequestsPerResponse: load.requests > 0 ? subgraphRequests / load.requests : 0,
        cpuSeconds: (after.cpuMicros - before.cpuMicros) / 1e6,
        dedupJoined: after.dedup && before.dedup ? after.dedup.joined - before.dedup.joined : null,
      };
    };

    // Correctness before speed: one request per scenario per gateway must answer the seeded data exactly.
    for (const [index, scenario] of scenarios.entries()) {
      for (const gateway of gateways) {
        await settle();
        for (const s of subgraphs.running) s.requests.count = 0;
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: scenario.query }),
        });
        const body = await response.text();
        if (!responseChecker(scenario)(body)) throw new Error(`${gateway.kind} answered ${scenario.name} wrongly: ${body.slice(0, 500)}`);
        (fetchesPerLoneRequest[gateway.kind] ??= {})[scenario.name] = subgraphs.running.reduce((sum, s) => sum + s.requests.count, 0);
      }
      log(`warming up ${scenario.name}`);
      for (const gateway of gateways) await measure(gateway, index, warmupSeconds);
    }

    for (let round = 1; round <= rounds; round += 1) {
      for (const [index, scenario] of scenarios.entries()) {
        // Alternate who goes first, so drift on a shared machine hits every gateway alike.
        const order = round % 2 === 1 ? gateways : [...gateways].reverse();
        for (const gateway of order) {
          const result = await measure(gateway, index, durationSeconds);
          runs.push({ round, scenario: scenario.name, gateway: gateway.kind, ...result.load, subgraphRequestsPerResponse: result.subgraphRequestsPerResponse, gatewayCpuSeconds: result.cpuSeconds, dedupJoined: result.dedupJoined });
          log(`round ${round} ${scenario.name.padEnd(6)} ${gateway.kind.padEnd(12)} ${result.load.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.load.p50Ms} ms  p99 ${result.load.p99Ms} ms  subgraph req/resp ${result.subgraphRequestsPerResponse.toFixed(2)}  bad ${result.load.incorrect + result.load.non2xx + result.load.errors}`);
        }
      }
    }

    const report: BenchReport = {
      date: new Date().toISOString(),
      settings: { rounds, durationSeconds, connections, warmupSeconds, pinnedCpu: cpu, profile, nodeFlags },
      machine: machine(),
      versions: versions(['@apollo/gateway', '@apollo/server', '@apollo/query-planner', 'graphql', 'autocannon']),
      scenarios: scenarios.map((s) => ({ name: s.name, description: s.description, query: s.query })),
      missingSubgraphs: subgraphs.missing,
      peakRssBytes: peakRss,
      fetchesPerLoneRequest,
      runs,
      wallSeconds: (Date.now() - started) / 1000,
    };
    const files = await writeReports(resultsDir, report);
    log(`wrote ${files.map((f) => path.relative(root, f)).join(', ')} in ${report.wallSeconds.toFixed(0)} s`);
    const failed = runs.filter((r) => r.incorrect + r.non2xx + r.errors + r.timeouts > 0);
    if (failed.length > 0) {
      process.exitCode = 1;
      log(`${failed.length} runs had incorrect or failed responses`);
    }
  } finally {
    await cleanup();
  }
}

runBench(main);
