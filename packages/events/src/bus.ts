import type { EventEnvelope } from './envelope';
import type { EventMetrics } from './metrics';

/** One consumer's queue and the event types (routing keys, `*`/`#` wildcards allowed) bound to it. */
export interface Subscription {
  /** Durable queue name, e.g. `orders.catalog-events`; one per consuming service and event family. */
  queue: string;
  bindings: string[];
  /**
   * Handles one event. Resolving acknowledges it (so only resolve after the
   * consumer's transaction committed); rejecting schedules a retry.
   */
  handle(event: EventEnvelope): Promise<void>;
  /**
   * Counts each delivery's outcome. Given per subscription rather than per
   * bus, so that a bus shared by several services (the quickstart) still
   * counts each one's consumption in that service's metrics.
   */
  metrics?: EventMetrics;
}

/**
 * The port every service publishes and consumes domain events through. The
 * RabbitMQ adapter is what deployments use; the in-process adapter serves the
 * zero-infrastructure quickstart and passes the same contract tests.
 */
export interface EventBus {
  /** Resolves once the broker has durably accepted the event (publisher confirm). */
  publish(event: EventEnvelope): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  /**
   * Stops taking events for handlers and resolves once those already running
   * have settled; undelivered events stay with the broker for the next
   * instance. Publishing still works (a shutdown drains its outbox after this).
   */
  stopConsuming(): Promise<void>;
  /** Why events cannot travel right now (the broker is unreachable), or null when they can. */
  problem(): string | null;
  /** Stops consuming and closes connections; pending publishes settle first. */
  close(): Promise<void>;
}
