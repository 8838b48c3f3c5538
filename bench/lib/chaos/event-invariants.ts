import type { Client } from 'pg';
import { listDeadLetters } from '@commerce/events';
import { invariant, type Invariant } from './invariants';
import type { RabbitMqNode } from './rabbitmq-node';

/** The subgraphs with an outbox, and the saga queues with the inbox consumer name each one's handler records. */
export const outboxSchemas = ['users', 'catalog', 'orders', 'payments', 'logistics'];
export const consumerQueues: Record<string, { schema: string; consumer: string }> = {
  'catalog.saga': { schema: 'catalog', consumer: 'catalog.saga' },
  'payments.saga': { schema: 'payments', consumer: 'payments.saga' },
  'orders.saga': { schema: 'orders', consumer: 'orders.saga' },
  'orders.catalog-events': { schema: 'orders', consumer: 'orders.catalog-read-model' },
  'logistics.saga': { schema: 'logistics', consumer: 'logistics.saga' },
};

async function tableExists(db: Client, name: string): Promise<boolean> {
  return (await db.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [name])).rows[0]!.t !== null;
}

/** Events still on their way: unpublished outbox rows, and messages ready or unacknowledged in any queue but the dead-letter ones. */
export async function eventsInFlight(db: Client, rabbit: RabbitMqNode, namespace: string): Promise<{ unpublished: number; queued: number }> {
  let unpublished = 0;
  for (const schema of outboxSchemas) {
    if (await tableExists(db, `${schema}.outbox`)) unpublished += Number((await db.query(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`)).rows[0].n);
  }
  const queues = await rabbit.list<{ name: string; messages: number; messages_unacknowledged: number }>('queues', ['name', 'messages', 'messages_unacknowledged']);
  const queued = queues.filter((q) => q.name.startsWith(`${namespace}.`) && !q.name.endsWith('.dead')).reduce((sum, q) => sum + Number(q.messages) + Number(q.messages_unacknowledged), 0);
  return { unpublished, queued };
}

/**
 * No event lost or doubled on the way: every outbox row published; for every
 * saga queue, every published event of a type the queue is bound to handled
 * by its consumer, according to its inbox (one row per event and consumer, so
 * a redelivery is never handled twice); and no dead letter, since nothing in
 * this run's workload is a reason for one (a declined card or short stock is
 * an answer the saga handles, not a failure), each listed with its reason.
 */
export async function auditEvents(db: Client, rabbit: RabbitMqNode, namespace: string): Promise<{ invariants: Invariant[]; counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const unpublished: string[] = [];
  const outboxes: string[] = [];
  for (const schema of outboxSchemas) {
    if (!(await tableExists(db, `${schema}.outbox`))) continue;
    outboxes.push(`${schema}.outbox`);
    const { rows } = await db.query<{ type: string; total: string; unpublished: string }>(
      `SELECT type, count(*) AS total, count(*) FILTER (WHERE published_at IS NULL) AS unpublished FROM ${schema}.outbox GROUP BY type ORDER BY type`,
    );
    for (const row of rows) {
      counts[`published ${row.type}`] = (counts[`published ${row.type}`] ?? 0) + Number(row.total) - Number(row.unpublished);
      if (Number(row.unpublished) > 0) unpublished.push(`${schema}.outbox: ${row.unpublished} ${row.type} event(s) never published`);
    }
  }
  const events = `(${outboxes.map((table) => `SELECT id, type FROM ${table} WHERE published_at IS NOT NULL`).join(' UNION ALL ')})`;

  const bindings = await rabbit.list<{ source_name: string; destination_name: string; routing_key: string }>('bindings', ['source_name', 'destination_name', 'routing_key']);
  const lost: string[] = [];
  for (const [queue, { schema, consumer }] of Object.entries(consumerQueues)) {
    // Every binding but the default exchange's (which routes by queue name: the retries' way back).
    const types = bindings.filter((b) => b.source_name !== '' && b.destination_name === `${namespace}.${queue}`).map((b) => b.routing_key);
    if (types.length === 0) {
      lost.push(`queue ${namespace}.${queue} is bound to no event type`);
      continue;
    }
    const { rows } = await db.query<{ id: string; type: string }>(
      `SELECT e.id, e.type FROM ${events} e WHERE e.type = ANY($1) AND NOT EXISTS (SELECT 1 FROM ${schema}.inbox i WHERE i.event_id = e.id AND i.consumer = $2)`,
      [types, consumer],
    );
    counts[`handled by ${consumer}`] = Number((await db.query(`SELECT count(*) AS n FROM ${schema}.inbox WHERE consumer = $1`, [consumer])).rows[0].n);
    for (const row of rows) lost.push(`${row.type} event ${row.id} never handled by ${consumer}`);
  }

  const letters = await listDeadLetters({ url: rabbit.url, namespace, queues: Object.keys(consumerQueues) });
  const dead = letters.map((letter) => `${letter.queue}: ${letter.type ?? 'unreadable'} ${letter.eventId ?? ''} after ${letter.attempts} attempt(s): ${letter.error || 'no reason recorded'}`);
  counts['dead letters'] = letters.length;

  return {
    invariants: [
      invariant('every event in an outbox was published', outboxes.join(', '), unpublished),
      invariant('every published event was handled once by each consumer bound to it', `${Object.keys(consumerQueues).length} saga queues, their bindings and inboxes`, lost),
      invariant('no dead letters (none is expected: declines and short stock are answers, not failures)', `${Object.keys(consumerQueues).length} dead-letter queues`, dead),
    ],
    counts,
  };
}
