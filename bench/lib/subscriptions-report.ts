import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { growthTable, type GrowthStep } from './growth-steps';
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

/**
 * Below this many connections, a gateway's RSS moves more on its own (GC, allocator, JIT) than
 * the connections add: a per-connection figure there is noise and is reported as not measurable.
 */
export const minMeasurableConnections = 1_000;

/** One gateway process' memory with no subscriber (before the run's first N), then with its share of N idle (both after a full GC). */
export interface GatewayMemory {
  rssBefore: number;
  rssIdle: number;
  heapBefore: number;
  heapIdle: number;
  subscribers: number;
}

/** One number of subscribers at one rate, measured, or why it was not. */
export type SizeResult = { subscribers: number; rate: number; notRun: string } | MeasuredSize;

export interface MeasuredSize {
  subscribers: number;
  rate: number;
  connectSeconds: number;
  /** Per gateway process. */
  memory: GatewayMemory[];
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
  /** Shared-subscription resolutions during the publish phase (subscriptionStats delta, all instances). */
  resolutions: number;
  /** Gateway instances holding subscribers: each resolves each event once for its own. */
  instances: number;
  /** Requests each subgraph received during the publish phase. */
  subgraphRequests: Record<string, number>;
  /** From the first publish to the last delivery (or the drain timeout). */
  phaseSeconds: number;
  gatewayCpuMs: number;
  /** CPU of the subscriber processes over the same phase. */
  clientCpuMs: number;
  /** CPU of this process (the publisher and the subgraphs) over the same phase. */
  benchCpuMs: number;
  /** The machine's 1-minute load average before and after this run: other work on the machine skews latency. */
  loadAverage: [number, number];
}

export interface SubscriptionsReport {
  date: string;
  settings: {
    subscribers: number[];
    rates: number[];
    events: number | null;
    seconds: number | null;
    gateways: number;
    clientProcesses: number;
    drainSeconds: number;
    redisUrl: string;
    namespace: string;
    gatewayCpu: number | null;
    benchCpus: string | null;
  };
  command: string;
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
const sum = (memory: GatewayMemory[], pick: (m: GatewayMemory) => number) => memory.reduce((total, m) => total + pick(m), 0);

/** KB of gateway RSS per idle connection (all processes' growth over all their connections), or null when not measurable at this size. */
export function rssPerConnectionKb(r: MeasuredSize): number | null {
  const growth = sum(r.memory, (m) => m.rssIdle - m.rssBefore);
  if (r.subscribers < minMeasurableConnections || growth <= 0) return null;
  return growth / 1024 / r.subscribers;
}

/** Memory growth per connection as text; "not measurable" when too few connections or no growth to divide. */
export const perConnection = (bytes: number, n: number) => (n < minMeasurableConnections || bytes <= 0 ? 'not measurable' : `${(bytes / 1024 / n).toFixed(1)} KB`);
const perInstanceResolutions = (r: MeasuredSize) => (r.eventsReached > 0 ? r.resolutions / r.eventsReached / Math.max(1, r.instances) : NaN);
/** CPU over the phase's wall time: near 100 %, that process was the bottleneck. */
const coreShare = (cpuMs: number, r: MeasuredSize) => `${((cpuMs / 10 / r.phaseSeconds) || 0).toFixed(0)} % of a core`;
const perDeliveryMicros = (cpuMs: number, r: MeasuredSize) => (cpuMs * 1000) / Math.max(1, r.delivered);
export const measured = (results: SizeResult[]) => results.filter((r): r is MeasuredSize => !('notRun' in r));

export function growthStep(r: MeasuredSize, units: number): GrowthStep {
  return { units, p50Ms: r.lastClient.p50, p99Ms: r.lastClient.p99, cpuPerUnitMicros: perDeliveryMicros(r.gatewayCpuMs, r), memoryPerUnitKb: rssPerConnectionKb(r) };
}

function targets(report: SubscriptionsReport): string[] {
  const all = measured(report.results);
  const tenThousand = all.filter((r) => r.subscribers === 10_000);
  const memoryAt = all.filter((r) => rssPerConnectionKb(r) !== null).at(-1);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const oneResolution = all.length > 0 && all.every((r) => perInstanceResolutions(r) === 1);
  return [
    `- 10,000 subscribers, p99 publish → last client < 100 ms: ${
      tenThousand.length > 0
        ? tenThousand.map((r) => `${verdict(r.lastClient.p99 < 100 && r.delivered === r.expectedDeliveries)} at ${r.rate}/s (${ms(r.lastClient.p99)})`).join('; ')
        : 'not run'
    }`,
    `- one resolution per event (per gateway instance) whatever N: ${all.length > 0 ? `${verdict(oneResolution)} (${all.map((r) => `${r.subscribers}: ${perInstanceResolutions(r).toFixed(2)}`).join(', ')})` : 'not run'}`,
    `- ≤ 15 KB RSS per idle connection: ${
      memoryAt
        ? `${verdict(rssPerConnectionKb(memoryAt)! <= 15)} at ${memoryAt.subscribers} (${rssPerConnectionKb(memoryAt)!.toFixed(1)} KB)`
        : `not measurable (needs a run of at least ${minMeasurableConnections} subscribers)`
    }`,
  ];
}

function growthSection(report: SubscriptionsReport): string[] {
  const all = measured(report.results);
  const sections: string[] = [];
  const bySubscribers = all.filter((r) => r.rate === all[0]?.rate);
  if (new Set(bySubscribers.map((r) => r.subscribers)).size > 1) {
    sections.push(`Growth with subscribers (at ${bySubscribers[0]!.rate} events/s; latency is publish → last client; CPU is the gateways' per delivery):`, '');
    sections.push(...growthTable('subscribers', bySubscribers.map((r) => growthStep(r, r.subscribers))), '');
  }
  const byRate = all.filter((r) => r.subscribers === all[0]?.subscribers);
  if (new Set(byRate.map((r) => r.rate)).size > 1) {
    sections.push(`Growth with events per second (${byRate[0]!.subscribers} subscribers; latency is publish → last client; CPU is the gateways' per delivery):`, '');
    sections.push(...growthTable('events/s', byRate.map((r) => ({ ...growthStep(r, r.rate), memoryPerUnitKb: null }))), '');
  }
  return sections;
}

export function markdown(report: SubscriptionsReport): string {
  const { settings, limits } = report;
  const rows = report.results.map((r) => {
    if ('notRun' in r) return `| ${r.subscribers} | ${r.rate}/s | not run: ${r.notRun} |${' |'.repeat(15)}`;
    const { memory } = r;
    const subgraphs = Object.entries(r.subgraphRequests).filter(([, count]) => count > 0);
    const cells = [
      r.subscribers,
      `${r.events} at ${r.achievedRate.toFixed(1)}/s`,
      `${r.connectSeconds.toFixed(1)} s`,
      memory.map((m) => `${mb(m.rssBefore)} → ${mb(m.rssIdle)} (${m.subscribers})`).join('; '),
      memory.map((m) => perConnection(m.rssIdle - m.rssBefore, m.subscribers)).join('; '),
      perConnection(sum(memory, (m) => m.heapIdle - m.heapBefore), r.subscribers),
      `${ms(r.firstClient.p50)} / ${ms(r.firstClient.p99)}`,
      `**${ms(r.lastClient.p50)} / ${ms(r.lastClient.p99)}** / ${ms(r.lastClient.max)}`,
      `${ms(r.allDeliveries.p50)} / ${ms(r.allDeliveries.p99)} / ${ms(r.allDeliveries.max)}`,
      `${r.delivered} / ${r.expectedDeliveries}`,
      `${r.wrong} / ${r.failures}`,
      `${perInstanceResolutions(r).toFixed(2)} (${r.instances} instance${r.instances === 1 ? '' : 's'})`,
      subgraphs.map(([name, count]) => `${name} ${(count / Math.max(1, r.eventsReached)).toFixed(2)}`).join(', ') || '0',
      `${r.gatewayCpuMs.toFixed(0)} ms, ${coreShare(r.gatewayCpuMs, r)} (${perDeliveryMicros(r.gatewayCpuMs, r).toFixed(1)} µs/delivery)`,
      `${r.clientCpuMs.toFixed(0)} ms, ${coreShare(r.clientCpuMs, r)}`,
      `${r.benchCpuMs.toFixed(0)} ms, ${coreShare(r.benchCpuMs, r)}`,
      `${r.loadAverage[0].toFixed(1)} → ${r.loadAverage[1].toFixed(1)}`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const fd = limits.openFiles;
  const ports = limits.ephemeralPorts;
  const lines = [
    `# Subscriptions benchmark — ${report.date}`,
    '',
    `Command: \`${report.command}\``,
    '',
    `${settings.gateways > 1 ? `${settings.gateways} gateway instances (@commerce/gateway, each in its own Node process, unpinned, subscribers spread round robin as GATEWAY_WORKERS=${settings.gateways} would)` : `One gateway instance (@commerce/gateway in its own Node process${settings.gatewayCpu === null ? '' : `, pinned to cpu ${settings.gatewayCpu}`})`} ` +
      `serving subscriptions from real Redis (${settings.redisUrl}, namespace \`${settings.namespace}\`). ` +
      `N subscribers over graphql-transport-ws (raw \`ws\`, each signed in as a user of its own) to the same subscription, held by ${settings.clientProcesses} subscriber process${settings.clientProcesses === 1 ? '' : 'es'} of their own` +
      `${settings.benchCpus === null ? '' : ` (pinned with the publisher to cpu ${settings.benchCpus})`}; ` +
      `stock changes published on the product's channel with RedisLivePubSub (catalog's own announcer) by the benchmark process, which also runs the subgraphs over Postgres. ` +
      'Latency is publish → arrival at the subscriber process, both stamped on the machine\'s wall clock.',
    '',
    '```graphql',
    report.query,
    '```',
    '',
    '| subscribers | events | connect | gateway RSS before → idle (subscribers), per process | RSS / idle connection, per process | heap / idle connection | publish → first client p50 / p99 | publish → last client p50 / p99 / max | publish → every delivery p50 / p99 / max | delivered | wrong / failed | resolutions / event / instance | subgraph requests / event | gateways CPU, publish phase | subscriber processes CPU | bench process CPU | load average |',
    `|${' ---: |'.repeat(17)}`,
    ...rows,
    '',
    'Targets from the issue:',
    '',
    ...targets(report),
    '',
    ...growthSection(report),
    'Reading the numbers:',
    '',
    '- "last client" is, per event, the time until the LAST of the N subscribers had it; with fewer than 100 events its p99 is the worst of them.',
    '- "first client" is resolution (the catalog and users fetches) plus one socket write; the gap to "last client" is the fan-out to N sockets and the subscriber processes reading them.',
    '- the subscriber processes read every frame: near 100 % of a core each, they could not keep up and latency measures them too. On two cores, the gateways, the subscribers, the publisher, the subgraphs, Redis and Postgres all share them.',
    `- memory per connection is each gateway process' RSS (and V8 heap) growth from its state before the first N of the run (no subscriber) to its share of N idle ones, each after a full GC, divided by its share; below ${minMeasurableConnections} connections the growth is within the noise and is not reported. RSS does not shrink when connections close, so each N is measured from that first reading, not from the end of the previous N.`,
    '- gateway CPU covers the whole publish phase: resolving each event once per instance and writing it to every socket; per delivery, it is what one more subscriber costs.',
    `- resolutions and subgraph requests are per event that reached a subscriber; each instance resolves each event once for its own subscribers. A gateway that falls behind gets ${settings.drainSeconds} s after the last publish to catch up.`,
    '- load average: the 1-minute load of the whole machine before and after each run; above the core count, other work competed with the benchmark.',
    '',
    `Limits: ulimit -n ${fd.soft ?? 'unlimited'} (hard ${fd.hard ?? 'unlimited'}), inherited by every process; ` +
      `each subscriber takes one descriptor in a subscriber process and one in a gateway. Ephemeral ports: ${ports ? `${ports.from}–${ports.to}` : 'unknown'}.`,
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

/** bench/results/subscriptions-<timestamp>.md and .json; returns the markdown's path and text. */
export async function writeSubscriptionsReport(dir: string, report: SubscriptionsReport): Promise<{ file: string; text: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = report.date.replace(/:/g, '-').replace(/\..*$/, '');
  const file = path.join(dir, `subscriptions-${stamp}.md`);
  const text = markdown(report);
  await writeFile(file, text);
  await writeFile(path.join(dir, `subscriptions-${stamp}.json`), JSON.stringify(report, null, 2));
  return { file, text };
}
