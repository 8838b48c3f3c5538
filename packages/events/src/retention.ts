import type { DataSource } from 'typeorm';
import { pruneInbox } from './inbox/prune';
import { errorField, silentLogger, type EventLogger } from './logger';
import { noEventMetrics, type EventMetrics, type PrunedTable } from './metrics';
import { pruneOutbox } from './outbox/prune';
import { Rounds } from './rounds';
import { checkedSchema } from './sql-names';

export interface EventRetentionOptions {
  dataSource: DataSource;
  /** The schema whose `outbox` and `inbox` tables are pruned. */
  schema: string;
  /** Published outbox rows older than this many hours go. Unset: the schema has no outbox. */
  outboxRetentionHours?: number;
  /**
   * Inbox rows older than this many hours go. Unset: the inbox is left alone.
   * Set, it is pruned only where the schema has one (a service may consume without).
   */
  inboxRetentionHours?: number;
  /** Delay of the first round, so start-up has the database first. Default 30 s. */
  firstRunAfterMs?: number;
  /** Between rounds. Default 10 minutes. */
  intervalMs?: number;
  /** Rows per DELETE. Default 1000. */
  batchSize?: number;
  logger?: EventLogger;
  /** Counts the rows deleted, per table. */
  metrics?: EventMetrics;
}

/** Rows one round deleted, per table. */
export type PrunedRows = Record<PrunedTable, number>;

export interface EventRetention {
  /** Prunes now, or joins the round already running; resolves with the rows it deleted. */
  prune(): Promise<PrunedRows>;
  /** Ends the schedule; a round running stops after its current batch, and this waits for it. */
  stop(): Promise<void>;
}

/**
 * Keeps a schema's outbox and inbox from growing without bound: shortly after
 * start and then every `intervalMs`, deletes published outbox rows and inbox
 * rows past their retention, in small autocommitted batches (see
 * {@link pruneOutbox}). Every instance of a service runs one; they split the
 * rows between them rather than waiting on each other. A failed round is
 * logged and the next one tries again.
 */
export function startEventRetention(options: EventRetentionOptions): EventRetention {
  const retention = new ScheduledRetention(options);
  retention.start();
  return retention;
}

class ScheduledRetention implements EventRetention {
  private readonly schema: string;
  private readonly logger: EventLogger;
  private readonly metrics: EventMetrics;
  private readonly rounds: Rounds<PrunedRows>;

  constructor(private readonly options: EventRetentionOptions) {
    this.schema = checkedSchema(options.schema);
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noEventMetrics;
    for (const hours of [options.outboxRetentionHours, options.inboxRetentionHours]) {
      // Caught here rather than at the first round, which would only log it.
      if (hours !== undefined && !(hours > 0)) throw new RangeError(`Retention of ${this.schema}'s events must be a positive number of hours, not ${hours}`);
    }
    // round() logs its own failures. A prune() during a round joins it: rows it missed wait for the next.
    this.rounds = new Rounds({
      round: () => this.round(),
      idle: { outbox: 0, inbox: 0 },
      firstAfterMs: options.firstRunAfterMs ?? 30_000,
      intervalMs: options.intervalMs ?? 600_000,
      whileRunning: 'join',
    });
  }

  start(): void {
    this.rounds.start();
  }

  prune(): Promise<PrunedRows> {
    return this.rounds.request();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** Both tables, each on its own: a failure with one still prunes the other. */
  private async round(): Promise<PrunedRows> {
    const pruned: PrunedRows = { outbox: 0, inbox: 0 };
    let failure: unknown;
    for (const table of ['outbox', 'inbox'] as const) {
      if (this.rounds.stopped) break;
      try {
        pruned[table] = await this.pruneTable(table);
      } catch (error) {
        failure ??= error;
        this.logger.error({ schema: this.schema, table, err: errorField(error) }, 'Pruning old event rows failed; the next round tries again');
      }
    }
    if (pruned.outbox + pruned.inbox > 0) this.logger.info({ schema: this.schema, ...pruned }, 'Pruned outbox and inbox rows past their retention');
    if (failure !== undefined) throw failure;
    return pruned;
  }

  private async pruneTable(table: PrunedTable): Promise<number> {
    const retentionHours = table === 'outbox' ? this.options.outboxRetentionHours : this.options.inboxRetentionHours;
    if (retentionHours === undefined) return 0;
    if (table === 'inbox' && !(await this.hasInbox())) return 0;
    const prune = table === 'outbox' ? pruneOutbox : pruneInbox;
    return prune(this.options.dataSource, this.schema, {
      retentionHours,
      batchSize: this.options.batchSize,
      stopping: () => this.rounds.stopped,
      onBatch: (rows) => this.metrics.pruned(table, rows),
    });
  }

  private async hasInbox(): Promise<boolean> {
    const rows: { present: boolean }[] = await this.options.dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${this.schema}.inbox`]);
    return rows[0]!.present;
  }
}
