import type { EventBus, Subscription } from './bus';
import type { EventEnvelope } from './envelope';
import { InvalidEventError } from './errors';
import { errorField, silentLogger, type EventLogger } from './logger';
import { topicMatches } from './topic';
import { parseEnvelope } from './validation';

export interface InMemoryEventBusOptions {
  logger?: EventLogger;
  /** Handler calls per event before it is dropped. Default 3, as the RabbitMQ adapter. */
  maxAttempts?: number;
  /** Pause between attempts. Default 10 ms. */
  retryDelayMs?: number;
}

interface Consumer {
  handle: Subscription['handle'];
  busy: boolean;
}

interface Queue {
  name: string;
  patterns: Set<string>;
  messages: EventEnvelope[];
  consumers: Consumer[];
  /** Round-robin position among the consumers, so competing consumers share. */
  next: number;
  dispatchScheduled: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The event bus inside one process, for the zero-infrastructure quickstart and
 * for tests. It behaves like a RabbitMQ topic exchange: each subscription
 * queue receives a copy of every event whose type matches one of its
 * bindings, subscriptions naming the same queue compete for its events, and
 * delivery is always asynchronous. Each consumer handles one event at a time,
 * so a queue with one consumer sees its events in publish order.
 *
 * Where it differs from the RabbitMQ adapter, knowingly:
 * - nothing is durable: queued events are lost when the process stops or the
 *   bus closes, and an event published before any queue is bound to its type
 *   goes nowhere (as with RabbitMQ);
 * - a failed event is retried in place after a short pause, holding back the
 *   events behind it on that consumer, instead of going back to the broker;
 *   after `maxAttempts` it is logged and dropped, not dead-lettered;
 * - an {@link InvalidEventError} from a handler drops the event at once.
 */
export class InMemoryEventBus implements EventBus {
  private readonly queues = new Map<string, Queue>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly logger: EventLogger;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private closed = false;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 10;
  }

  async publish(event: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    // The JSON round trip stands in for the wire: every queue gets its own copy
    // of exactly what RabbitMQ would carry.
    const wire = JSON.stringify(parseEnvelope(event));
    for (const queue of this.queues.values()) {
      if (![...queue.patterns].some((pattern) => topicMatches(pattern, event.type))) continue;
      queue.messages.push(JSON.parse(wire) as EventEnvelope);
      this.scheduleDispatch(queue);
    }
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    const queue = this.queues.get(subscription.queue) ?? this.createQueue(subscription.queue);
    for (const binding of subscription.bindings) queue.patterns.add(binding);
    queue.consumers.push({ handle: subscription.handle, busy: false });
    this.scheduleDispatch(queue);
  }

  /** Stops delivering and resolves once every handler already running has settled. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private createQueue(name: string): Queue {
    const queue: Queue = { name, patterns: new Set(), messages: [], consumers: [], next: 0, dispatchScheduled: false };
    this.queues.set(name, queue);
    return queue;
  }

  private scheduleDispatch(queue: Queue): void {
    if (queue.dispatchScheduled) return;
    queue.dispatchScheduled = true;
    setImmediate(() => {
      queue.dispatchScheduled = false;
      this.dispatch(queue);
    });
  }

  private dispatch(queue: Queue): void {
    while (!this.closed && queue.messages.length > 0) {
      const consumer = this.nextIdleConsumer(queue);
      if (!consumer) return;
      const event = queue.messages.shift()!;
      consumer.busy = true;
      const delivery = this.deliver(queue, consumer, event).finally(() => {
        consumer.busy = false;
        this.inFlight.delete(delivery);
        this.scheduleDispatch(queue);
      });
      this.inFlight.add(delivery);
    }
  }

  private nextIdleConsumer(queue: Queue): Consumer | undefined {
    const count = queue.consumers.length;
    for (let offset = 0; offset < count; offset++) {
      const index = (queue.next + offset) % count;
      const consumer = queue.consumers[index]!;
      if (!consumer.busy) {
        queue.next = (index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  /** Never rejects: every outcome is logged here. */
  private async deliver(queue: Queue, consumer: Consumer, event: EventEnvelope): Promise<void> {
    const context = { queue: queue.name, eventId: event.id, type: event.type };
    for (let attempt = 1; ; attempt++) {
      try {
        await consumer.handle(event);
        return;
      } catch (error) {
        if (error instanceof InvalidEventError) {
          this.logger.error({ ...context, err: errorField(error) }, 'Dropped an invalid event');
          return;
        }
        if (attempt >= this.maxAttempts) {
          this.logger.error({ ...context, attempt, err: errorField(error) }, 'Dropped an event after its last attempt');
          return;
        }
        this.logger.warn({ ...context, attempt, err: errorField(error) }, 'Event handler failed; retrying');
        await sleep(this.retryDelayMs);
      }
    }
  }
}
