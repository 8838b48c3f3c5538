import type { Invariant } from './invariants';
import type { Kill } from './replicas';
import type { BrokerRestart } from './schedule';
import type { SagaCounts } from './saga-invariants';

export interface ChaosResult {
  date: string;
  ok: boolean;
  seed: number;
  settings: { seconds: number; drainSeconds: number; orderSubscribers: number; inventorySubscribers: number; customers: number; couriers: number; products: number; bundles: boolean | undefined };
  loadAverage: { before: number[]; after: number[] };
  phases: Record<string, number>;
  timeline: string[];
  kills: Kill[];
  restarts: BrokerRestart[];
  faultErrors: string[];
  reconnects: { order: number[]; inventory: number[]; connected: number[]; neverRestored: number; attempts: [string, number][] };
  saga: SagaCounts;
  events: Record<string, number>;
  subscribers: Record<string, number>;
  placements: { answered: number; failed: number; ambiguous: number; adopted: number };
  clientOutcomes: Record<string, number>;
  invariants: Invariant[];
  /** Counted and shown with examples, but not failing the run (see subscriber-check.ts for why each is not an invariant). */
  observations: Invariant[];
  unexpectedExits: string[];
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const s = (ms: number | null) => (ms === null || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`);
const ms = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(0)} ms`);

export function chaosMarkdown(r: ChaosResult, startedAt: number): string {
  const rel = (at: number | null) => (at === null ? '—' : `+${((at - startedAt) / 1000).toFixed(1)} s`);
  const table = (rows: Record<string, { expected: number; actual: number }>) =>
    Object.entries(rows)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key} ${value.actual}/${value.expected}`)
      .join(', ');
  return `# Chaos run — ${r.date}: ${r.ok ? 'every invariant held' : 'INVARIANTS BROKEN'}

Seed **${r.seed}** (\`npm run chaos -- --seed ${r.seed}\` replays the fault schedule). ${r.settings.seconds} s of load, drain up to ${r.settings.drainSeconds} s; two replicas of each subgraph (Node cluster workers sharing a port), two gateway processes; ${r.settings.customers} customers, ${r.settings.couriers} couriers, ${r.settings.products} products (one scarce); ${r.settings.orderSubscribers} orderUpdated + ${r.settings.inventorySubscribers} inventoryChanged subscribers over both gateways. Own Postgres database, redis-server and RabbitMQ node. Services run ${r.settings.bundles ? 'from their production bundles (dist/index.js)' : 'from source with tsx'}. Load average (1/5/15 min) before ${r.loadAverage.before.join(' / ')}, after ${r.loadAverage.after.join(' / ')}: on a shared machine, recovery times are mostly CPU starvation.

Phases: ${Object.entries(r.phases).map(([name, value]) => `${name} ${s(value)}`).join(', ')}.

## Faults (times from the start of the load)

| fault | at | recovered | recovery |
| --- | ---: | ---: | ---: |
${r.kills.map((k) => `| SIGKILL ${k.service} replica ${k.replica} (pid ${k.pid} → ${k.newPid ?? '—'}) | ${rel(k.killedAt)} | ${rel(k.readyAt)} | ${s(k.readyAt === null ? null : k.readyAt - k.killedAt)} listening again |`).join('\n')}
${r.restarts.map((b) => `| restart ${b.kind === 'rabbitmq' ? 'RabbitMQ (SIGTERM, same node and data)' : 'Redis (SIGKILL, empty)'} | ${rel(b.stoppedAt)} | ${rel(b.firstDeliveryAt)} | down ${s(b.downAt === null ? null : b.downAt - b.stoppedAt)}, answering ${s(b.upAt === null ? null : b.upAt - b.stoppedAt)}, ${b.kind === 'rabbitmq' ? 'first publish+consume' : 'first live message at a subscriber'} ${s(b.firstDeliveryAt === null ? null : b.firstDeliveryAt - b.stoppedAt)} |`).join('\n')}
${r.faultErrors.length ? `\nFault errors: ${r.faultErrors.join('; ')}\n` : ''}
Subscriber reconnects: socket lost → new socket acknowledged ${r.reconnects.connected.length} (p50 ${ms(percentile(r.reconnects.connected, 50))}, p99 ${ms(percentile(r.reconnects.connected, 99))}); socket lost → subscription back: orderUpdated ${r.reconnects.order.length} (p50 ${ms(percentile(r.reconnects.order, 50))}, p99 ${ms(percentile(r.reconnects.order, 99))}, to the first message, the current state), inventoryChanged ${r.reconnects.inventory.length} (p50 ${ms(percentile(r.reconnects.inventory, 50))}, p99 ${ms(percentile(r.reconnects.inventory, 99))}, to the acknowledgement); never restored: ${r.reconnects.neverRestored}. How the sockets came back (each try, the commonest first): ${r.reconnects.attempts.map(([shape, n]) => `${n}× ${shape}`).join('; ') || 'none lost'}.
${r.unexpectedExits.length ? `\nReplicas that died without being killed: ${r.unexpectedExits.join('; ')}\n` : ''}
## Counts (actual/expected)

- Orders: ${r.saga.orders} (${Object.entries(r.saga.byFinalStatus).map(([k, v]) => `${k} ${v}`).join(', ')}); placeOrder answered ${r.placements.answered}, failed ${r.placements.failed} (of which ${r.placements.ambiguous} without a clear answer; ${r.placements.adopted} of those had created an order, found in the database and driven to the end).
- Status changes: ${r.saga.statusChanges.actual}/${r.saga.statusChanges.expected}.
- Reservations: ${table(r.saga.reservations)}.
- Payments (authorizations captured = charges, voided, declined, refunded): ${table(r.saga.payments)}.
- Shipments: ${table(r.saga.shipments)}.
- Events: ${Object.entries(r.events).map(([k, v]) => `${k} ${v}`).join(', ')}.
- Subscribers: ${Object.entries(r.subscribers).map(([k, v]) => `${k} ${v}`).join(', ')}.
- Gateway calls by outcome: ${Object.entries(r.clientOutcomes).map(([k, v]) => `${k} ${v}`).join(', ')}.

## Invariants

${r.invariants.map((item) => `- ${item.failures.length ? '✗' : '✓'} ${item.name} — ${item.checked}${item.failures.length ? `: **${item.failures.length} failure(s)**\n${item.failures.slice(0, 10).map((f) => `  - ${f}`).join('\n')}${item.failures.length > 10 ? `\n  - … and ${item.failures.length - 10} more` : ''}` : ''}`).join('\n')}

## Observations (do not fail the run)

${r.observations.map((item) => `- ${item.name} — ${item.checked}: ${item.failures.length}${item.failures.length ? `, e.g.\n${item.failures.slice(0, 3).map((f) => `  - ${f}`).join('\n')}` : ''}`).join('\n')}

## Timeline

${r.timeline.map((line) => `- ${line}`).join('\n')}
`;
}
