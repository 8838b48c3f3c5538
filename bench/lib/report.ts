import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayKind } from './gateway-process';
import type { LoadResult } from './load';

export interface RunRecord extends LoadResult {
  round: number;
  scenario: string;
  gateway: GatewayKind;
  /** Requests the subgraphs received per response the gateway sent. */
  subgraphRequestsPerResponse: number;
  /** CPU the gateway process spent during the run (user + system). */
  gatewayCpuSeconds: number;
  /** Subgraph fetches that joined an identical one in flight (ours only). */
  dedupJoined: number | null;
}

export interface BenchReport {
  date: string;
  settings: Record<string, unknown>;
  machine: { cpuModel: string; cores: number; totalMemoryGb: number; platform: string };
  versions: Record<string, string>;
  scenarios: { name: string; description: string; query: string }[];
  missingSubgraphs: Record<string, string>;
  peakRssBytes: Record<string, number>;
  /** Subgraph requests for one request alone (no concurrency, so nothing to merge): the query plan's size. */
  fetchesPerLoneRequest: Record<string, Record<string, number>>;
  runs: RunRecord[];
  wallSeconds: number;
}

export interface ScenarioSummary {
  scenario: string;
  gateway: GatewayKind;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  subgraphRequestsPerResponse: number;
  cpuMsPerResponse: number;
  bad: number;
}

function gatewaysIn(report: BenchReport): GatewayKind[] {
  return [...new Set(report.runs.map((r) => r.gateway))];
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** Mean throughput over rounds, median latencies: one round's hiccup should not decide a percentile. */
export function summarize(report: BenchReport): ScenarioSummary[] {
  return report.scenarios.flatMap(({ name }) =>
    gatewaysIn(report).map((gateway) => {
      const runs = report.runs.filter((r) => r.scenario === name && r.gateway === gateway);
      const responses = runs.reduce((sum, r) => sum + r.requests, 0);
      return {
        scenario: name,
        gateway,
        requestsPerSecond: mean(runs.map((r) => r.requestsPerSecond)),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        subgraphRequestsPerResponse: mean(runs.map((r) => r.subgraphRequestsPerResponse)),
        cpuMsPerResponse: responses > 0 ? (runs.reduce((sum, r) => sum + r.gatewayCpuSeconds, 0) * 1000) / responses : 0,
        bad: runs.reduce((sum, r) => sum + r.incorrect + r.non2xx + r.errors + r.timeouts, 0),
      };
    }),
  );
}

function markdown(report: BenchReport, summary: ScenarioSummary[]): string {
  const mb = (bytes: number | undefined) => `${Math.round((bytes ?? 0) / 1e6)} MB`;
  const lines = [
    `# Gateway benchmark — ${report.date}`,
    '',
    `Our gateway (@commerce/gateway) against plain @apollo/gateway + @apollo/server (defaults, same identity forwarding), ` +
      `${report.settings.rounds} alternating rounds × ${report.settings.durationSeconds} s per gateway and scenario, ` +
      `${report.settings.connections} connections, loopback, every response checked against the seeded data.`,
    ...(gatewaysIn(report).includes('ours-nodedup') ? ['', '`ours-nodedup` is our gateway with in-flight deduplication of subgraph fetches turned off.'] : []),
    '',
    '| scenario | gateway | req/s | p50 | p99 | subgraph req / response | gateway CPU ms / response | bad responses |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summary.map(
      (s) =>
        `| ${s.scenario} | ${s.gateway} | ${s.requestsPerSecond.toFixed(0)} | ${s.p50Ms} ms | ${s.p99Ms} ms | ${s.subgraphRequestsPerResponse.toFixed(2)} | ${s.cpuMsPerResponse.toFixed(2)} | ${s.bad} |`,
    ),
    '',
    '| scenario | gateway | req/s ratio to baseline | CPU per response ratio (baseline / this) | subgraph requests for one lone request |',
    '| --- | --- | ---: | ---: | ---: |',
    ...report.scenarios.flatMap(({ name }) => {
      const base = summary.find((s) => s.scenario === name && s.gateway === 'baseline');
      return summary
        .filter((s) => s.scenario === name && s.gateway !== 'baseline')
        .map((s) => {
          const rps = base && base.requestsPerSecond > 0 ? `${(s.requestsPerSecond / base.requestsPerSecond).toFixed(2)}×` : 'n/a';
          const cpu = base && s.cpuMsPerResponse > 0 ? `${(base.cpuMsPerResponse / s.cpuMsPerResponse).toFixed(2)}×` : 'n/a';
          return `| ${name} | ${s.gateway} | ${rps} | ${cpu} | ${report.fetchesPerLoneRequest[s.gateway]?.[name] ?? 'n/a'} (baseline ${report.fetchesPerLoneRequest.baseline?.[name] ?? 'n/a'}) |`;
        });
    }),
    '',
    `Peak RSS: ${Object.entries(report.peakRssBytes).map(([gateway, bytes]) => `${gateway} ${mb(bytes)}`).join(', ')}.`,
    '',
    'Scenarios:',
    ...report.scenarios.map((s) => `- **${s.name}**: ${s.description}`),
    ...(Object.keys(report.missingSubgraphs).length > 0
      ? ['', `Left out (not available yet): ${Object.entries(report.missingSubgraphs).map(([n, why]) => `${n} (${why})`).join('; ')}`]
      : []),
    '',
    `Machine: ${report.machine.cpuModel}, ${report.machine.cores} cores, ${report.machine.totalMemoryGb} GB, ${report.machine.platform}. ` +
      `Each gateway in its own process${report.settings.pinnedCpu === null ? '' : `, pinned to cpu ${report.settings.pinnedCpu}`}; ` +
      'subgraphs, Postgres and autocannon share the remaining capacity.',
    '',
    `Versions: ${Object.entries(report.versions).map(([name, version]) => `${name} ${version}`).join(', ')}.`,
    '',
    `Per-round numbers are in the JSON file next to this one. Whole run: ${report.wallSeconds.toFixed(0)} s.`,
    '',
  ];
  return lines.join('\n');
}

/** bench/results/gateway-<timestamp>.json with every run, and gateway-latest.md with the summary. */
export async function writeReports(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const summary = summarize(report);
  const stamp = report.date.replace(/:/g, '-').replace(/\..*$/, '');
  const json = path.join(dir, `gateway-${stamp}.json`);
  const md = path.join(dir, 'gateway-latest.md');
  await writeFile(json, `${JSON.stringify({ ...report, summary }, null, 2)}\n`);
  await writeFile(md, markdown(report, summary));
  return [json, md];
}
