/**
 * The public federation benchmark (The Guild's graphql-gateways-benchmark,
 * reproduced in JavaScript): four subgraphs (accounts, inventory, products,
 * reviews) and its one heavy nested query, 50 connections, every gateway
 * pinned to the same single core, over loopback only.
 *
 *   npm run bench:public
 *
 * Targets, side by side and alternating round by round: `baseline` (plain
 * @apollo/gateway + @apollo/server), `hive` (Hive Gateway with
 * @graphql-hive/router-runtime) and `ours` (@commerce/gateway; it merges
 * identical in-flight subgraph fetches but never answers a client request
 * from another's). The baseline's answer to one lone request is the expected
 * body; every response of every gateway is checked against it and any
 * mismatch fails the run. Results: bench/results/public-<timestamp>.json and
 * public-latest.md. Knobs: BENCH_ROUNDS (3), BENCH_DURATION (10 s),
 * BENCH_WARMUP (5 s), BENCH_CONNECTIONS (50), BENCH_GATEWAYS
 * (ours,hive,baseline), BENCH_PROFILE=1, BENCH_NODE_FLAGS (every gateway),
 * BENCH_OURS_NODE_FLAGS (ours only), BENCH_OURS_BUNDLE=1 (ours from its
 * esbuild bundle on plain node), BENCH_SMOKE=1
 * (one short round, no files written: CI's check that it still runs).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { startGatewayProcess, type GatewayChild } from './lib/children';
import { gatewayKinds, type GatewayKind } from './lib/gateway-process';
import { runLoad } from './lib/load';
import { machine, versions } from './lib/environment';
import { startPublicSubgraphs } from './lib/public/subgraph-child';
import { composePublicSupergraph, publicQuery } from './lib/public/supergraph';
import { sameAnswer } from './lib/public/same-answer';
import { writePublicReports, type PublicRun } from './lib/public/report';
import { runBench } from './lib/run-bench';

const smoke = process.env.BENCH_SMOKE === '1';
const rounds = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const durationSeconds = smoke ? 1 : Number(process.env.BENCH_DURATION ?? 10);
const warmupSeconds = smoke ? 1 : Number(process.env.BENCH_WARMUP ?? 5);
const connections = smoke ? 10 : Number(process.env.BENCH_CONNECTIONS ?? 50);
const profile = process.env.BENCH_PROFILE === '1';
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
/** Node flags for ours alone (e.g. heap tuning it would ship with); recorded in the results beside the rest. */
const oursNodeFlags = (process.env.BENCH_OURS_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
/** Ours from an esbuild bundle on plain node (as production runs it) instead of TypeScript through tsx. */
const oursBundled = process.env.BENCH_OURS_BUNDLE === '1';
const kinds = (process.env.BENCH_GATEWAYS ?? 'ours,hive,baseline').split(',').map((k) => k.trim()) as GatewayKind[];

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(__dirname, 'results');
// Unused by the query (nobody signs in), but our gateway and the baseline verify tokens with it.
const jwt = { secret: 'benchmark-secret-of-sufficient-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };

function log(message: string): void {
  process.stdout.write(`[bench:public] ${message}\n`);
}

/** Builds bench/lib/gateway-process.ts into dist/index.js (git-ignored) with the production bundler; returns its path. */
function bundleGatewayProcess(): string {
  execFileSync(process.execPath, [path.join(root, 'scripts/bundle.mjs'), 'bench/lib/gateway-process.ts'], { cwd: root, stdio: 'inherit' });
  return path.join(root, 'dist/index.js');
}

async function main(): Promise<void> {
  const started = Date.now();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (let step = cleanups.pop(); step; step = cleanups.pop()) await step().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  const unknown = kinds.filter((k) => !gatewayKinds.includes(k));
  if (unknown.length > 0 || !kinds.includes('baseline')) throw new Error(`BENCH_GATEWAYS must include baseline and only ${gatewayKinds.join(', ')}`);

  try {
    const cores = os.cpus().length;
    // The gateways share the last core, one at a time; subgraphs and autocannon get the others.
    const gatewayCpu = cores >= 2 ? cores - 1 : null;
    const otherCpus = cores >= 2 ? 0 : null;
    const subgraphs = await startPublicSubgraphs(otherCpus);
    cleanups.push(() => subgraphs.stop());
    const scratch = await mkdtemp(path.join(tmpdir(), 'bench-public-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const supergraphPath = path.join(scratch, 'supergraph.graphql');
    await writeFile(supergraphPath, composePublicSupergraph(subgraphs.urls));
    // Our gateway refuses costly operations by default (cost.ts estimates this query at about 100,000);
    // the others enforce no such limit, so ours runs it with the limit out of the way.
    const clientsPath = path.join(scratch, 'clients.json');
    await writeFile(clientsPath, JSON.stringify({ anonymous: { mode: 'ALLOW', limits: { cost: 10_000_000 } } }));

    const profileDir = profile ? path.join(resultsDir, 'profiles', 'public') : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const bundle = oursBundled ? bundleGatewayProcess() : undefined;
    const gateways: GatewayChild[] = [];
    for (const kind of kinds) {
      const ours = kind === 'ours';
      const gateway = await startGatewayProcess(
        { kind, supergraphPath, subgraphUrls: subgraphs.urls, jwt, clientsPath },
        { cpu: gatewayCpu, profileDir, nodeFlags: ours ? [...nodeFlags, ...oursNodeFlags] : nodeFlags, bundle: ours ? bundle : undefined },
      );
      gateways.push(gateway);
      cleanups.push(() => gateway.stop());
    }
    log(`gateways up: ${gateways.map((g) => `${g.kind} (pid ${g.pid})`).join(', ')}${gatewayCpu === null ? '' : `, pinned to cpu ${gatewayCpu}`}`);

    const body = JSON.stringify({ query: publicQuery });
    const total = async () => Object.values(await subgraphs.requests()).reduce((a, b) => a + b, 0);
    // autocannon drops requests still in flight when a run ends; let the gateway finish them before counting anew.
    const settle = async () => {
      for (let before = await total(); ; ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const now = await total();
        if (now === before) return;
        before = now;
      }
    };
    const ask = async (gateway: GatewayChild) => {
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, text: await response.text() };
    };

    // The baseline's answer is the expected one; it must be a full answer, without errors.
    const baseline = gateways.find((g) => g.kind === 'baseline')!;
    const expected = await ask(baseline);
    const expectedValue = JSON.parse(expected.text) as { data?: unknown; errors?: unknown };
    if (expected.status !== 200 || expectedValue.errors || !expectedValue.data) throw new Error(`baseline answered wrongly: ${expected.text.slice(0, 500)}`);
    const verify = (text: string) => sameAnswer(text, expected.text, expectedValue);

    const fetchesPerLoneRequest: Record<string, number> = {};
    for (const gateway of gateways) {
      await settle();
      const before = await total();
      const answer = await ask(gateway);
      if (answer.status !== 200 || !verify(answer.text)) throw new Error(`${gateway.kind} answered differently from the baseline: ${answer.text.slice(0, 500)}`);
      fetchesPerLoneRequest[gateway.kind] = (await total()) - before;
    }
    log(`answers agree (${expected.text.length} bytes); subgraph requests for one lone request: ${JSON.stringify(fetchesPerLoneRequest)}`);

    const peakRss: Record<string, number> = {};
    const measure = async (gateway: GatewayChild, seconds: number) => {
      await settle();
      const subgraphBefore = await total();
      const before = await gateway.stats();
      // RSS sampled during the run too: the peak is under load, not after it.
      const sampler = setInterval(() => {
        gateway.stats().then(
          (s) => (peakRss[gateway.kind] = Math.max(peakRss[gateway.kind] ?? 0, s.rss)),
          () => undefined,
        );
      }, 500);
      const load = await runLoad({ url: gateway.url, body, headers: {}, connections, durationSeconds: seconds, verify }).finally(() => clearInterval(sampler));
      // The requests abandoned at the end are still served: wait for them, and divide by every request sent.
      await settle();
      const after = await gateway.stats();
      peakRss[gateway.kind] = Math.max(peakRss[gateway.kind] ?? 0, after.rss);
      const subgraphRequests = (await total()) - subgraphBefore;
      return { load, cpuSeconds: (after.cpuMicros - before.cpuMicros) / 1e6, subgraphRequests };
    };

    for (const gateway of gateways) await measure(gateway, warmupSeconds);
    log('warmed up');
    // The warm-up peaks are not the measured rounds'.
    for (const key of Object.keys(peakRss)) delete peakRss[key];

    const runs: PublicRun[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const order = round % 2 === 1 ? gateways : [...gateways].reverse();
      for (const gateway of order) {
        const { load, cpuSeconds, subgraphRequests } = await measure(gateway, durationSeconds);
        const run: PublicRun = {
          round,
          gateway: gateway.kind,
          ...load,
          gatewayCpuSeconds: cpuSeconds,
          cpuMsPerResponse: load.sent > 0 ? (cpuSeconds * 1000) / load.sent : 0,
          subgraphRequestsPerResponse: load.sent > 0 ? subgraphRequests / load.sent : 0,
        };
        runs.push(run);
        log(
          `round ${round} ${gateway.kind.padEnd(9)} ${load.requestsPerSecond.toFixed(0).padStart(5)} req/s  p50 ${load.p50Ms} ms  p99 ${load.p99Ms} ms  cpu ${run.cpuMsPerResponse.toFixed(2)} ms/resp  subgraph req/resp ${run.subgraphRequestsPerResponse.toFixed(2)}  bad ${load.incorrect + load.non2xx + load.errors + load.timeouts}`,
        );
      }
    }

    const failed = runs.filter((r) => r.incorrect + r.non2xx + r.errors + r.timeouts > 0 || r.requests === 0);
    const report = {
      date: new Date().toISOString(),
      settings: { rounds, durationSeconds, warmupSeconds, connections, pinnedCpu: gatewayCpu, profile, nodeFlags, oursNodeFlags, oursBundled, smoke },
      loadAverage: os.loadavg(),
      machine: machine(),
      versions: versions(['@apollo/gateway', '@apollo/server', '@apollo/query-planner', '@graphql-hive/gateway', '@graphql-hive/gateway-runtime', '@graphql-hive/router-runtime', 'graphql', 'autocannon']),
      query: publicQuery,
      responseBytes: expected.text.length,
      fetchesPerLoneRequest,
      peakRssBytes: peakRss,
      runs,
      wallSeconds: (Date.now() - started) / 1000,
    };
    if (!smoke) {
      const files = await writePublicReports(resultsDir, report);
      log(`wrote ${files.map((f) => path.relative(root, f)).join(', ')}`);
    }
    if (failed.length > 0) {
      process.exitCode = 1;
      log(`${failed.length} runs had responses that differ from the baseline's, failed, or none at all`);
    }
  } finally {
    await cleanup();
  }
}

runBench(main);
