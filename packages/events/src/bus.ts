import type { EventEnvelope } from './envelope';

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
  /** Stops consuming and closes connections; pending publishes settle first. */
  close(): Promise<void>;
}
