import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SocketLimits } from './socket-limits';

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  /** Values the percentiles were taken over. */
  count: number;
}

/** Nearest-rank percentiles of `values` (sorted in place). */
export function latencyOf(values: Float64Array): Latency {
  values.sort();
  const rank = (p: number) => values[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? NaN;
  return { p50: rank(50), p99: rank(99), max: values[values.length - 1] ?? NaN, count: values.length };
}

/** One number of subscribers, measured, or why it was not. */
export type SizeResult = { subscribers: number; notRun: string } | MeasuredSize;

export interface MeasuredSize {
  subscribers: number;
  connectSeconds: number;
  /** Gateway memory with no subscriber, then with all of them connected and idle (both after a full GC). */
  memory: { rssBefore: number; rssIdle: number; heapBefore: number; heapIdle: number };
  events: number;
  /** Events per second actually published (the timer can fire late when this process is busy). */
  achievedRate: number;
  /** Events that reached at least one subscriber (all of them unless the gateway fell behind past the drain timeout). */
  eventsReached: number;
  /** Per event, publish → the first subscriber's receipt: resolution plus one write, without the fan-out. */
  firstClient: Latency;
  /** Per event, publish → the last subscriber's receipt; over the events every subscriber received. */
  lastClient: Latency;
  /** Publish → receipt, every delivery. */
  allDeliveries: Latency;
  expectedDeliveries: number;
  delivered: number;
  wrong: number;
  failures: number;
  /** Shared-subscription resolutions during the publish phase (subscriptionStats delta). */
  resolutions: number;
  /** Requests each subgraph received during the publish phase. */
  subgraphRequests: Record<string, number>;
  /** From the first publish to the last delivery (or the drain timeout). */
  phaseSeconds: number;
  gatewayCpuMs: number;
  /** CPU of this process (the subscribers and the publisher) over the same phase. */
  benchCpuMs: number;
  /** The machine's 1-minute load average before and after this N: other work on the machine skews latency. */
  loadAverage: [number, number];
}

export interface SubscriptionsReport {
  date: string;
  settings: { subscribers: number[]; events: number; rate: number; drainSeconds: number; redisUrl: string; namespace: string; gateways?: number; gatewayCpu: number | null; benchCpus: string | null };
  query: string;
  machine: { cpuModel: string; cores: number; totalMemoryGb: number; platform: string };
  versions: Record<string, string>;
  limits: SocketLimits;
  results: SizeResult[];
  /** What was left in Redis under the namespace after everything stopped. */
  redisLeftovers: string;
  wallSeconds: number;
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kbPerConnection = (bytes: number, n: number) => (bytes / 1024 / n).toFixed(1);
const resolutionsPerEvent = (r: MeasuredSize) => (r.eventsReached > 0 ? (r.resolutions / r.eventsReached).toFixed(2) : 'n/a');
/** CPU over the phase's wall time: near 100 %, that process was the bottleneck. */
const coreShare = (cpuMs: number, r: MeasuredSize) => `${((cpuMs / 10 / r.phaseSeconds) || 0).toFixed(0)} % of a core`;
const perDelivery = (cpuMs: number, r: MeasuredSize) => `${((cpuMs * 1000) / Math.max(1, r.delivered)).toFixed(1)} µs/delivery`;
const measured = (results: SizeResult[]) => results.filter((r): r is MeasuredSize => !('notRun' in r));

function targets(report: SubscriptionsReport): string[] {
  const all = measured(report.results);
  const tenThousand = all.find((r) => r.subscribers === 10_000);
  const largest = all.at(-1);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const oneResolution = all.length > 0 && all.every((r) => r.resolutions === r.eventsReached);
  return [
    `- 10,000 subscribers, p99 publish → last client < 100 ms: ${tenThousand ? `${verdict(tenThousand.lastClient.p99 < 100 && tenThousand.delivered === tenThousand.expectedDeliveries)} (${ms(tenThousand.lastClient.p99)})` : 'not run'}`,
    `- one resolution per event whatever N: ${all.length > 0 ? `${verdict(oneResolution)} (${all.map((r) => `${r.subscribers}: ${resolutionsPerEvent(r)}`).join(', ')})` : 'not run'}`,
    `- < 15 KB per idle connection: ${largest ? `${verdict((largest.memory.rssIdle - largest.memory.rssBefore) / 1024 / largest.subscribers < 15)} at ${largest.subscribers} (${kbPerConnection(largest.memory.rssIdle - largest.memory.rssBefore, largest.subscribers)} KB RSS)` : 'not run'}`,
  ];
}

export function markdown(report: SubscriptionsReport): string {
  const { settings, limits } = report;
  const rows = report.results.map((r) => {
    if ('notRun' in r) return `| ${r.subscribers} | not run: ${r.notRun} |${' |'.repeat(14)}`;
    const { memory } = r;
    const subgraphs = Object.entries(r.subgraphRequests).filter(([, count]) => count > 0);
    const cells = [
      r.subscribers,
      `${r.connectSeconds.toFixed(1)} s`,
      `${mb(memory.rssBefore)} → ${mb(memory.rssIdle)}`,
      `${kbPerConnection(memory.rssIdle - memory.rssBefore, r.subscribers)} KB`,
      `${kbPerConnection(memory.heapIdle - memory.heapBefore, r.subscribers)} KB`,
      `${r.events} at ${r.achievedRate.toFixed(1)}/s`,
      `${ms(r.firstClient.p50)} / ${ms(r.firstClient.p99)}`,
      `${ms(r.lastClient.p50)} / ${ms(r.lastClient.p99)} / ${ms(r.lastClient.max)}`,
      `${ms(r.allDeliveries.p50)} / ${ms(r.allDeliveries.p99)} / ${ms(r.allDeliveries.max)}`,
      `${r.delivered} / ${r.expectedDeliveries}`,
      `${r.wrong} / ${r.failures}`,
      resolutionsPerEvent(r),
      subgraphs.map(([name, count]) => `${name} ${(count / Math.max(1, r.eventsReached)).toFixed(2)}`).join(', ') || '0',
      `${r.gatewayCpuMs.toFixed(0)} ms, ${coreShare(r.gatewayCpuMs, r)} (${(r.gatewayCpuMs / Math.max(1, r.eventsReached)).toFixed(1)} ms/event, ${perDelivery(r.gatewayCpuMs, r)})`,
      `${r.benchCpuMs.toFixed(0)} ms, ${coreShare(r.benchCpuMs, r)} (${perDelivery(r.benchCpuMs, r)})`,
      `${r.loadAverage[0].toFixed(1)} → ${r.loadAverage[1].toFixed(1)}`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const fd = limits.openFiles;
  const ports = limits.ephemeralPorts;
  const lines = [
    `# Subscriptions benchmark — ${report.date}`,
    '',
    `${(settings.gateways ?? 1) > 1 ? `${settings.gateways} gateway instances (@commerce/gateway, each in its own Node process, unpinned, subscribers spread round robin; memory, CPU and resolutions are their sums, so resolutions are one per event per instance)` : `One gateway instance (@commerce/gateway in its own Node process${settings.gatewayCpu === null ? '' : `, pinned to cpu ${settings.gatewayCpu}`})`} ` +
      `serving subscriptions from real Redis (${settings.redisUrl}, namespace \`${settings.namespace}\`). ` +
      `N subscribers over graphql-transport-ws (raw \`ws\`, each signed in as a user of its own) to the same subscription; ` +
      `${settings.events} stock changes per N published at ${settings.rate}/s on the product's channel with RedisLivePubSub ` +
      `(catalog's own announcer). Latency is publish → receipt in this process, which holds every subscriber and the publisher` +
      `${settings.benchCpus === null ? '' : ` (pinned to cpu ${settings.benchCpus})`}; the subgraphs run here too over Postgres.`,
    '',
    '```graphql',
    report.query,
    '```',
    '',
    '| subscribers | connect | gateway RSS idle (before → after) | RSS / idle connection | heap / idle connection | events | publish → first client p50 / p99 | publish → last client p50 / p99 / max | publish → every delivery p50 / p99 / max | delivered | wrong / failed | resolutions / event | subgraph requests / event | gateway CPU, publish phase | bench CPU, publish phase | load average |',
    `|${' ---: |'.repeat(16)}`,
    ...rows,
    '',
    'Targets from the issue:',
    '',
    ...targets(report),
    '',
    'Reading the numbers:',
    '',
    `- "last client" is, per event, the time until the LAST of the N subscribers had it; its p99 is over ${settings.events} events (with fewer than 100, that is the worst of them).`,
    '- "first client" is resolution (the catalog and users fetches) plus one socket write; the gap to "last client" is the fan-out to N sockets.',
    '- the receipt time includes this process parsing every frame on one event loop: with thousands of subscribers, the last one reads its frame after all the others. "bench CPU" shows that share; near 100 % of a core, the subscribers themselves could not keep up and latency measures them too.',
    '- memory per connection is the gateway\'s RSS (and V8 heap) growth from no subscriber to N idle ones, each after a full GC, divided by N.',
    '- gateway CPU covers the whole publish phase: resolving each event once and writing it to every socket; per delivery, it is what one more subscriber costs.',
    `- resolutions and subgraph requests are per event that reached a subscriber; a gateway that falls behind gets ${settings.drainSeconds} s after the last publish to catch up.`,
    '- load average: the 1-minute load of the whole machine before and after each N; above the core count, other work competed with the benchmark.',
    '',
    `Limits: ulimit -n ${fd.soft ?? 'unlimited'} (hard ${fd.hard ?? 'unlimited'}), inherited by the gateway process; ` +
      `each subscriber takes one descriptor here and one in the gateway. Ephemeral ports: ${ports ? `${ports.from}–${ports.to}` : 'unknown'}.`,
    '',
    `Redis after the run: ${report.redisLeftovers}.`,
    '',
    `Machine: ${report.machine.cpuModel}, ${report.machine.cores} cores, ${report.machine.totalMemoryGb} GB, ${report.machine.platform}.`,
    '',
    `Versions: ${Object.entries(report.versions).map(([name, version]) => `${name} ${version}`).join(', ')}.`,
    '',
    `Whole run: ${report.wallSeconds.toFixed(0)} s.`,
    '',
  ];
  return lines.join('\n');
}

/** bench/results/subscriptions-<timestamp>.md; returns its path and text. */
export async function writeSubscriptionsReport(dir: string, report: SubscriptionsReport): Promise<{ file: string; text: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = report.date.replace(/:/g, '-').replace(/\..*$/, '');
  const file = path.join(dir, `subscriptions-${stamp}.md`);
  const text = markdown(report);
  await writeFile(file, text);
  return { file, text };
}
