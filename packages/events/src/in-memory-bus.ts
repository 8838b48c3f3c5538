import type { EventBus, Subscription } from './bus';
import type { EventEnvelope } from './envelope';
import { InvalidEventError } from './errors';
import { checkRetryOptions, retryDelayFor, type DeadLetter } from './dead-letter';
import { errorField, silentLogger, type EventLogger } from './logger';
import { noEventMetrics, type ConsumeOutcome, type EventMetrics } from './metrics';
import { topicMatches } from './topic';
import { consumeTraced } from './trace-context';
import { parseEnvelope } from './validation';

export interface InMemoryEventBusOptions {
  logger?: EventLogger;
  /** Handler calls per event before it goes to the queue's dead letters. Default 5, as the RabbitMQ adapter. */
  maxAttempts?: number;
  /**
   * Pause before each retry, by failed attempt; the last one repeats. Default
   * [100, 500, 2500]: shorter than RabbitMQ's, since in one process what a
   * retry waits for (another consumer's commit) is milliseconds away.
   */
  retryDelaysMs?: number[];
}

interface Consumer {
  handle: Subscription['handle'];
  metrics: EventMetrics;
  busy: boolean;
}

interface Delivery {
  event: EventEnvelope;
  /** Failed attempts so far. */
  attempts: number;
}

interface Queue {
  name: string;
  patterns: Set<string>;
  messages: Delivery[];
  consumers: Consumer[];
  /** Round-robin position among the consumers, so competing consumers share. */
  next: number;
  dispatchScheduled: boolean;
  deadLetters: DeadLetter[];
}

/**
 * The event bus inside one process, for the zero-infrastructure quickstart and
 * for tests. It behaves like a RabbitMQ topic exchange: each subscription
 * queue receives a copy of every event whose type matches one of its
 * bindings, subscriptions naming the same queue compete for its events, and
 * delivery is always asynchronous. Each consumer handles one event at a time,
 * so a queue with one consumer sees its events in publish order.
 *
 * Failures follow the RabbitMQ adapter: a failed event goes back to the end
 * of its queue after a delay growing with each attempt (the events behind it
 * go on), and after `maxAttempts`, or at once for an {@link InvalidEventError},
 * it joins the queue's dead letters ({@link deadLetters}, {@link replayDeadLetters}).
 *
 * Where it differs, knowingly: nothing is durable. Queued events, events
 * waiting for a retry and dead letters are lost when the process stops or the
 * bus closes, and an event published before any queue is bound to its type
 * goes nowhere (as with RabbitMQ).
 */
export class InMemoryEventBus implements EventBus {
  private readonly queues = new Map<string, Queue>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly logger: EventLogger;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: number[];
  private closed = false;
  private consuming = true;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelaysMs = options.retryDelaysMs ?? [100, 500, 2_500];
    checkRetryOptions(this.maxAttempts, this.retryDelaysMs);
  }

  async publish(event: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    // The JSON round trip stands in for the wire: every queue gets its own copy
    // of exactly what RabbitMQ would carry.
    const wire = JSON.stringify(parseEnvelope(event));
    for (const queue of this.queues.values()) {
      if (![...queue.patterns].some((pattern) => topicMatches(pattern, event.type))) continue;
      queue.messages.push({ event: JSON.parse(wire) as EventEnvelope, attempts: 0 });
      this.scheduleDispatch(queue);
    }
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    const queue = this.queues.get(subscription.queue) ?? this.createQueue(subscription.queue);
    for (const binding of subscription.bindings) queue.patterns.add(binding);
    queue.consumers.push({ handle: subscription.handle, metrics: subscription.metrics ?? noEventMetrics, busy: false });
    this.scheduleDispatch(queue);
  }

  /** The events this queue gave up on, oldest first (a copy: it does not consume them). */
  deadLetters(queue: string): DeadLetter[] {
    return [...(this.queues.get(queue)?.deadLetters ?? [])];
  }

  /** Moves dead letters (all, or the one with `id`) back to their queue, attempts reset; returns how many. */
  replayDeadLetters(queueName: string, options: { id?: string } = {}): number {
    const queue = this.queues.get(queueName);
    if (!queue || this.closed) return 0;
    const replayed = queue.deadLetters.filter((letter) => options.id === undefined || letter.eventId === options.id);
    queue.deadLetters = queue.deadLetters.filter((letter) => !replayed.includes(letter));
    for (const letter of replayed) queue.messages.push({ event: JSON.parse(letter.body) as EventEnvelope, attempts: 0 });
    this.scheduleDispatch(queue);
    return replayed.length;
  }

  problem(): string | null {
    return this.closed ? 'the event bus is closed' : null;
  }

  /** Stops handing events to handlers (they wait in their queues) and resolves once those running have settled. */
  async stopConsuming(): Promise<void> {
    this.consuming = false;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops delivering, drops pending retries, and resolves once every handler already running has settled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private createQueue(name: string): Queue {
    const queue: Queue = { name, patterns: new Set(), messages: [], consumers: [], next: 0, dispatchScheduled: false, deadLetters: [] };
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
    while (!this.closed && this.consuming && queue.messages.length > 0) {
      const consumer = this.nextIdleConsumer(queue);
      if (!consumer) return;
      const delivery = queue.messages.shift()!;
      consumer.busy = true;
      const handling = this.deliver(queue, consumer, delivery).finally(() => {
        consumer.busy = false;
        this.inFlight.delete(handling);
        this.scheduleDispatch(queue);
      });
      this.inFlight.add(handling);
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

  /** Never rejects: a failure schedules a retry or dead-letters the event. */
  private async deliver(queue: Queue, consumer: Consumer, delivery: Delivery): Promise<void> {
    try {
      await consumeTraced(queue.name, delivery.event, undefined, () => consumer.handle(delivery.event));
      consumer.metrics.consumed(queue.name, delivery.event.type, 'ok');
    } catch (error) {
      consumer.metrics.consumed(queue.name, delivery.event.type, this.failed(queue, delivery, error));
    }
  }

  private failed(queue: Queue, delivery: Delivery, error: unknown): Exclude<ConsumeOutcome, 'ok'> {
    const { event } = delivery;
    const attempts = delivery.attempts + 1;
    const context = { queue: queue.name, eventId: event.id, type: event.type, attempts, err: errorField(error) };
    const invalid = error instanceof InvalidEventError;
    if (invalid || attempts >= this.maxAttempts) {
      this.logger.error(context, invalid ? 'Dead-lettered an invalid event' : 'Dead-lettered an event after its last attempt');
      queue.deadLetters.push({
        queue: queue.name,
        eventId: event.id,
        type: event.type,
        attempts,
        error: errorField(error).message,
        routingKey: event.type,
        deadLetteredAt: new Date().toISOString(),
        body: JSON.stringify(event),
      });
      return 'dead-lettered';
    }
    const delayMs = retryDelayFor(attempts, this.retryDelaysMs);
    this.logger.warn({ ...context, retryInMs: delayMs }, 'Event handler failed; retrying later');
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.closed) return;
      queue.messages.push({ event, attempts });
      this.scheduleDispatch(queue);
    }, delayMs);
    this.retryTimers.add(timer);
    return 'retried';
  }
}
