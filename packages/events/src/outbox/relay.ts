import type { DataSource } from 'typeorm';
import type { EventBus } from '../bus';
import type { EventEnvelope } from '../envelope';
import { errorField, silentLogger, type EventLogger } from '../logger';
import { noEventMetrics, type EventMetrics } from '../metrics';
import { Rounds } from '../rounds';
import { checkedSchema } from '../sql-names';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  /** The schema whose `outbox` table this relay publishes. */
  schema: string;
  bus: EventBus;
  logger?: EventLogger;
  /** How often to look for events nobody announced with notify(). Default 200 ms. */
  pollIntervalMs?: number;
  /** Rows claimed per transaction. Default 100. */
  batchSize?: number;
  /** Counts each event the broker confirmed. */
  metrics?: EventMetrics;
  /**
   * Hears, in position order, the events a round published, once the round's
   * transaction has marked them published: the subgraph's own committed
   * events, without a trip through the broker and back (live updates). A
   * failure it throws is logged; the events stay published.
   */
  onPublished?(events: EventEnvelope[]): Promise<void>;
}

export interface OutboxRelay {
  /** Publishes everything pending now; resolves with how many events this relay published. */
  flush(): Promise<number>;
  /** Asks for a publish round as soon as possible: call it after committing appended events. */
  notify(): void;
  /** Stops polling and waits for the round in progress, if any. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  position: string;
  aggregate_id: string;
  envelope: EventEnvelope;
  /** The earliest unpublished row of the aggregate before this one that the claim did not get; null when none. */
  held_before: string | null;
}

/**
 * For the claimed rows' aggregates, the earliest unpublished position this
 * transaction does not hold (another relay has it locked): our rows after it
 * must wait for it. Rows not yet committed are invisible to the claim, as they
 * were to the separate query this replaced a moment later; an aggregate's
 * writers serialize on its row, so its events commit in position order.
 */
function earliestHeldElsewhere(rows: ClaimedRow[]): Map<string, bigint> {
  const earliest = new Map<string, bigint>();
  for (const row of rows) {
    if (row.held_before === null) continue;
    const position = BigInt(row.held_before);
    const known = earliest.get(row.aggregate_id);
    if (known === undefined || position < known) earliest.set(row.aggregate_id, position);
  }
  return earliest;
}

interface BatchResult {
  claimed: number;
  /** What the broker confirmed, in position order. */
  published: EventEnvelope[];
  /** A publish that failed; the rows from it on stay unpublished for the next round. */
  failure?: unknown;
}

/**
 * Starts publishing `<schema>.outbox` to the bus: at once (for events left
 * from before a restart), every `pollIntervalMs`, and whenever notified.
 *
 * Each round claims the oldest unpublished rows with `FOR UPDATE SKIP LOCKED`
 * in a transaction, publishes them in position order, marks them published
 * and commits, so several relays (one per service instance) share the work
 * and each event is published once; a crash between publish and commit
 * publishes it again, which consumers absorb through their inbox.
 *
 * Per-aggregate order also holds across relays: a row is held back while an
 * earlier row of its aggregate is unpublished and claimed by someone else.
 *
 * The claim transaction awaits only the bus and its own connection. That
 * matters under the embedded PGlite, where a transaction blocks every other
 * connection until it ends.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const relay = new PollingOutboxRelay(options);
  relay.start();
  return relay;
}

class PollingOutboxRelay implements OutboxRelay {
  private readonly schema: string;
  private readonly logger: EventLogger;
  private readonly metrics: EventMetrics;
  private readonly batchSize: number;
  private readonly rounds: Rounds<number>;
  /** Set from a failed round until a round succeeds: the current outage is already logged. */
  private failing = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.schema = checkedSchema(options.schema);
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noEventMetrics;
    this.batchSize = options.batchSize ?? 100;
    // A notify() during a round may announce rows that round did not see: it is followed by another.
    this.rounds = new Rounds({ round: () => this.drain(), idle: 0, firstAfterMs: 0, intervalMs: options.pollIntervalMs ?? 200, whileRunning: 'follow' });
  }

  start(): void {
    this.rounds.start();
  }

  flush(): Promise<number> {
    return this.rounds.request();
  }

  notify(): void {
    this.rounds.request().catch(() => undefined);
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** Publishes batch after batch until the outbox has nothing this relay may publish. */
  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      let batch: BatchResult;
      try {
        batch = await this.publishBatch();
      } catch (error) {
        this.reportFailure(error, total, 'Outbox relay round failed; retrying on the next round');
        throw error;
      }
      total += batch.published.length;
      await this.announce(batch.published);
      if (batch.failure !== undefined) {
        this.reportFailure(batch.failure, total, 'Outbox relay cannot publish; keeping the events for later rounds');
        throw batch.failure;
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info({ schema: this.schema, published: total }, 'Outbox relay is publishing again');
      }
      if (this.rounds.stopped || batch.claimed < this.batchSize || batch.published.length === 0) return total;
    }
  }

  private async announce(published: EventEnvelope[]): Promise<void> {
    if (published.length === 0 || !this.options.onPublished) return;
    try {
      await this.options.onPublished(published);
    } catch (error) {
      this.logger.error({ schema: this.schema, events: published.length, err: errorField(error) }, 'Outbox relay could not hand on the events it published');
    }
  }

  /**
   * An outage (the broker gone, the bus reconnecting) fails every round until
   * it ends: it is logged as an error once, when it starts, and at debug level
   * after that, rather than once per round or per row.
   */
  private reportFailure(error: unknown, published: number, message: string): void {
    const fields = { schema: this.schema, published, err: errorField(error) };
    if (this.failing) {
      this.logger.debug(fields, message);
      return;
    }
    this.failing = true;
    this.logger.error(fields, message);
  }

  private publishBatch(): Promise<BatchResult> {
    return this.options.dataSource.transaction(async (manager) => {
      const rows: ClaimedRow[] = await manager.query(
        // The claim and, per claimed row, the earliest unpublished row of its aggregate that this
        // transaction does not hold (another relay has it): one round trip, on every round.
        `WITH claimed AS (
           SELECT position, aggregate_id, envelope FROM ${this.schema}.outbox
           WHERE published_at IS NULL ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED
         )
         SELECT claimed.position, claimed.aggregate_id, claimed.envelope,
           (SELECT min(other.position) FROM ${this.schema}.outbox other
            WHERE other.published_at IS NULL AND other.aggregate_id = claimed.aggregate_id
              AND other.position < claimed.position AND other.position NOT IN (SELECT position FROM claimed)) AS held_before
         FROM claimed ORDER BY claimed.position`,
        [this.batchSize],
      );
      if (rows.length === 0) return { claimed: 0, published: [] };
      const heldElsewhere = earliestHeldElsewhere(rows);
      const published: ClaimedRow[] = [];
      let failure: unknown;
      // Waiting for each broker confirm in turn would cost a disk sync per event;
      // instead every aggregate's events form a chain (in order, the next sent
      // only once the previous is confirmed) and the chains run side by side.
      const chains = new Map<string, Promise<boolean>>();
      for (const row of rows) {
        const earlier = heldElsewhere.get(row.aggregate_id);
        if (earlier !== undefined && BigInt(row.position) > earlier) continue;
        const previous = chains.get(row.aggregate_id) ?? Promise.resolve(true);
        chains.set(
          row.aggregate_id,
          previous.then(async (ok) => {
            // After a failure the rest of this aggregate waits: sending it would overtake the failed event.
            if (!ok) return false;
            try {
              await this.options.bus.publish(row.envelope);
              published.push(row);
              this.metrics.published(row.envelope.type);
              return true;
            } catch (error) {
              failure ??= error;
              return false;
            }
          }),
        );
      }
      await Promise.all(chains.values());
      if (published.length > 0) {
        const positions = published.map((row) => row.position);
        // The mark need not wait for a disk sync (synchronous_commit off for this
        // transaction, in the same round trip): if a crash loses it, the rows go
        // out again and the consumers' inboxes absorb the copies.
        await manager.query(
          `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
           UPDATE ${this.schema}.outbox SET published_at = now() FROM relaxed WHERE position = ANY($1::bigint[])`,
          [positions],
        );
      }
      // The chains run side by side, so confirms arrive out of position order; each aggregate's stay in it.
      published.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
      return { claimed: rows.length, published: published.map((row) => row.envelope), failure };
    });
  }
}
