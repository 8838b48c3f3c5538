import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayKind } from '../gateway-process';
import type { LoadResult } from '../load';

export interface PublicRun extends LoadResult {
  round: number;
  gateway: GatewayKind;
  gatewayCpuSeconds: number;
  cpuMsPerResponse: number;
  subgraphRequestsPerResponse: number;
}

export interface PublicReport {
  date: string;
  settings: Record<string, unknown>;
  loadAverage: number[];
  machine: { cpuModel: string; cores: number; totalMemoryGb: number; platform: string };
  versions: Record<string, string>;
  query: string;
  responseBytes: number;
  fetchesPerLoneRequest: Record<string, number>;
  peakRssBytes: Record<string, number>;
  runs: PublicRun[];
  wallSeconds: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Summary {
  gateway: GatewayKind;
  rps: number;
  p50: number;
  p99: number;
  cpuMs: number;
  subgraphPerResponse: number;
  rssMb: number;
  bad: number;
}

/** Medians over the measured rounds, per gateway. */
export function summarize(report: PublicReport): Summary[] {
  const kinds = [...new Set(report.runs.map((r) => r.gateway))];
  return kinds.map((gateway) => {
    const runs = report.runs.filter((r) => r.gateway === gateway);
    return {
      gateway,
      rps: median(runs.map((r) => r.requestsPerSecond)),
      p50: median(runs.map((r) => r.p50Ms)),
      p99: median(runs.map((r) => r.p99Ms)),
      cpuMs: median(runs.map((r) => r.cpuMsPerResponse)),
      subgraphPerResponse: median(runs.map((r) => r.subgraphRequestsPerResponse)),
      rssMb: (report.peakRssBytes[gateway] ?? 0) / 1e6,
      bad: runs.reduce((sum, r) => sum + r.incorrect + r.non2xx + r.errors + r.timeouts, 0),
    };
  });
}

export function publicMarkdown(report: PublicReport): string {
  const summaries = summarize(report);
  const base = summaries.find((s) => s.gateway === 'baseline')!;
  const ratio = (value: number, of: number) => (of > 0 ? `${(value / of).toFixed(2)}×` : 'n/a');
  const s = report.settings;
  const lines = [
    `# Public federation benchmark — ${report.date}`,
    '',
    `The Guild's graphql-gateways-benchmark reproduced in JavaScript (bench/public.ts): accounts, inventory, products and reviews subgraphs, its heavy nested query (${report.responseBytes} bytes per answer). ${String(s.rounds)} alternating rounds × ${String(s.durationSeconds)} s per gateway after ${String(s.warmupSeconds)} s of warm-up, ${String(s.connections)} connections, each gateway alone on cpu ${String(s.pinnedCpu)} (taskset), loopback only; every response compared with the baseline's answer. Ours ran ${s.oursBundled ? 'from its esbuild bundle on plain node' : 'from TypeScript through tsx'}${(s.oursNodeFlags as string[] | undefined)?.length ? ` with ${(s.oursNodeFlags as string[]).join(' ')}` : ''}.`,
    '',
    'Medians over the rounds. CPU and subgraph requests are per request sent (those a run abandons at its end are still served, and counted).',
    '',
    '| gateway | req/s | p50 | p99 | peak RSS | gateway CPU ms / request | subgraph req / request | subgraph req, one lone request | bad responses |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map(
      (x) =>
        `| ${x.gateway} | ${x.rps.toFixed(0)} | ${x.p50} ms | ${x.p99} ms | ${x.rssMb.toFixed(0)} MB | ${x.cpuMs.toFixed(2)} | ${x.subgraphPerResponse.toFixed(2)} | ${report.fetchesPerLoneRequest[x.gateway] ?? 'n/a'} | ${x.bad} |`,
    ),
    '',
    'As ratios to the baseline (req/s: higher is better; the rest: lower is better):',
    '',
    '| gateway | req/s | p50 | p99 | peak RSS | CPU / request | subgraph req / request |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map(
      (x) =>
        `| ${x.gateway} | ${ratio(x.rps, base.rps)} | ${ratio(x.p50, base.p50)} | ${ratio(x.p99, base.p99)} | ${ratio(x.rssMb, base.rssMb)} | ${ratio(x.cpuMs, base.cpuMs)} | ${ratio(x.subgraphPerResponse, base.subgraphPerResponse)} |`,
    ),
    '',
    `Load average while it ran (1, 5, 15 min, at the end): ${report.loadAverage.map((l) => l.toFixed(2)).join(', ')} — the machine is shared, so absolute figures are noisy; ratios within this one alternating run are the comparison.`,
    '',
    `Machine: ${report.machine.cpuModel}, ${report.machine.cores} cores, ${report.machine.totalMemoryGb} GB, ${report.machine.platform}.`,
    '',
    `Versions: ${Object.entries(report.versions).map(([name, version]) => `${name} ${version}`).join(', ')}.`,
    '',
    `Per-round numbers are in the JSON file next to this one. Whole run: ${report.wallSeconds.toFixed(0)} s.`,
    '',
  ];
  return lines.join('\n');
}

export async function writePublicReports(dir: string, report: PublicReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-').replace(/-\d{3}Z$/, '');
  const json = path.join(dir, `public-${stamp}.json`);
  const markdown = path.join(dir, 'public-latest.md');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, publicMarkdown(report));
  return [json, markdown];
}
