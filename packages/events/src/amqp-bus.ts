import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from 'amqplib';
import type { EventBus, Subscription } from './bus';
import type { EventEnvelope } from './envelope';
import { InvalidEventError } from './errors';
import { errorField, silentLogger, type EventLogger } from './logger';
import { parseEnvelope } from './validation';

export interface AmqpEventBusOptions {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /**
   * Prefixes the exchange (`<namespace>.events`) and every queue name, so
   * several deployments (or parallel test runs) can share one broker without
   * seeing each other's events. Default `commerce`.
   */
  namespace?: string;
  /** Unacknowledged deliveries per consumer, i.e. how many events it handles at once. Default 16. */
  prefetch?: number;
  logger?: EventLogger;
  /** Handler calls per event before it is given up on. Default 3. */
  maxAttempts?: number;
}

/** How many times this message has been handled and failed; absent on first delivery. */
export const attemptsHeader = 'x-commerce-attempts';

interface Consumer {
  subscription: Subscription;
  channel: Channel;
  consumerTag: string;
  /** Set once close() starts: deliveries that have not started go back to the queue. */
  stopping: boolean;
  /** The last handling queued per aggregate, so one aggregate's events run one after another. */
  tails: Map<string, Promise<void>>;
}

function publishOptions(event: EventEnvelope, headers: Record<string, unknown> = {}): Options.Publish {
  return {
    persistent: true,
    messageId: event.id,
    type: event.type,
    contentType: 'application/json',
    correlationId: event.correlationId,
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    headers,
  };
}

function attemptsOf(message: ConsumeMessage): number {
  const value: unknown = message.properties.headers?.[attemptsHeader];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * The event bus on RabbitMQ: one connection, a confirm channel for publishing
 * (a publish resolves only once the broker has the persistent message), a
 * durable topic exchange routing on the event type, and one channel per
 * subscription consuming a durable queue.
 *
 * Each consumer handles up to `prefetch` events at once but never two events of
 * the same aggregate at once: those run in delivery order, which is publish
 * order while nothing is being retried.
 *
 * Failure handling, for now: a handler that fails is retried by republishing
 * the message to the back of its queue with an attempt count header (so the
 * events behind it are not held up), up to `maxAttempts`; then the message is
 * rejected without requeue, which a dead-letter exchange on the queue will
 * catch once there is one. Messages that are not JSON envelopes, and handlers
 * failing with {@link InvalidEventError}, are never retried.
 */
export class AmqpEventBus implements EventBus {
  private readonly consumers: Consumer[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingPublishes = new Set<Promise<void>>();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly publishChannel: ConfirmChannel,
    private readonly namespace: string,
    readonly exchange: string,
    private readonly prefetch: number,
    private readonly maxAttempts: number,
    private readonly logger: EventLogger,
  ) {
    connection.on('error', (error: Error) => logger.error({ err: errorField(error) }, 'RabbitMQ connection error'));
    connection.on('close', () => {
      if (!this.closing) logger.error({}, 'RabbitMQ connection closed unexpectedly');
    });
    this.watchChannel(publishChannel, 'publish');
  }

  /** Connects, opens the publishing channel and declares the exchange. */
  static async connect(options: AmqpEventBusOptions): Promise<AmqpEventBus> {
    const logger = options.logger ?? silentLogger;
    const namespace = options.namespace ?? 'commerce';
    const exchange = `${namespace}.events`;
    const connection = await connect(options.url);
    try {
      const publishChannel = await connection.createConfirmChannel();
      await publishChannel.assertExchange(exchange, 'topic', { durable: true });
      return new AmqpEventBus(connection, publishChannel, namespace, exchange, options.prefetch ?? 16, options.maxAttempts ?? 3, logger);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  publish(event: EventEnvelope): Promise<void> {
    if (this.closing) return Promise.reject(new Error('The event bus is closed'));
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(event);
    } catch (error) {
      return Promise.reject(error);
    }
    const content = Buffer.from(JSON.stringify(envelope));
    return this.track(this.confirmed((done) => this.publishChannel.publish(this.exchange, envelope.type, content, publishOptions(envelope), done)));
  }

  async subscribe(unqualified: Subscription): Promise<void> {
    if (this.closing) throw new Error('The event bus is closed');
    const subscription = { ...unqualified, queue: `${this.namespace}.${unqualified.queue}` };
    const channel = await this.connection.createChannel();
    this.watchChannel(channel, subscription.queue);
    try {
      await channel.prefetch(this.prefetch);
      await channel.assertQueue(subscription.queue, { durable: true });
      for (const binding of subscription.bindings) await channel.bindQueue(subscription.queue, this.exchange, binding);
      const consumer: Consumer = { subscription, channel, consumerTag: '', stopping: false, tails: new Map() };
      const { consumerTag } = await channel.consume(subscription.queue, (message) => this.onDelivery(consumer, message));
      consumer.consumerTag = consumerTag;
      this.consumers.push(consumer);
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Cancels every consumer, lets handlers already running finish (and be
   * acknowledged), waits for outstanding publisher confirms, then closes the
   * channels and the connection. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    for (const consumer of this.consumers) {
      consumer.stopping = true;
      await consumer.channel.cancel(consumer.consumerTag).catch((error: unknown) => {
        this.logger.warn({ queue: consumer.subscription.queue, err: errorField(error) }, 'Could not cancel a consumer');
      });
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.pendingPublishes]);
    for (const consumer of this.consumers) await consumer.channel.close().catch(() => undefined);
    await this.publishChannel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }

  private onDelivery(consumer: Consumer, message: ConsumeMessage | null): void {
    const queue = consumer.subscription.queue;
    if (!message) {
      // The broker cancelled us, e.g. because the queue was deleted.
      this.logger.warn({ queue }, 'RabbitMQ cancelled a consumer');
      return;
    }
    const event = this.decode(queue, message);
    if (!event) {
      // Poison: redelivering it would fail forever, so it is logged and acknowledged.
      this.settle(consumer, message, 'ack');
      return;
    }
    const key = event.aggregateId;
    const previous = consumer.tails.get(key) ?? Promise.resolve();
    const handling = previous.then(() => this.handle(consumer, message, event));
    consumer.tails.set(key, handling);
    this.inFlight.add(handling);
    const forget = () => {
      this.inFlight.delete(handling);
      if (consumer.tails.get(key) === handling) consumer.tails.delete(key);
    };
    handling.then(forget, forget);
  }

  private decode(queue: string, message: ConsumeMessage): EventEnvelope | null {
    try {
      return parseEnvelope(JSON.parse(message.content.toString('utf8')));
    } catch (error) {
      this.logger.error(
        { queue, messageId: message.properties.messageId, err: errorField(error) },
        'Dropped a message that is not a valid event envelope',
      );
      return null;
    }
  }

  /** Never rejects: every outcome ends in an ack or a nack. */
  private async handle(consumer: Consumer, message: ConsumeMessage, event: EventEnvelope): Promise<void> {
    if (consumer.stopping) {
      this.settle(consumer, message, 'requeue');
      return;
    }
    try {
      await consumer.subscription.handle(event);
      this.settle(consumer, message, 'ack');
    } catch (error) {
      await this.retryOrGiveUp(consumer, message, event, error);
    }
  }

  private async retryOrGiveUp(consumer: Consumer, message: ConsumeMessage, event: EventEnvelope, error: unknown): Promise<void> {
    const queue = consumer.subscription.queue;
    const attempt = attemptsOf(message) + 1;
    const context = { queue, eventId: event.id, type: event.type, attempt, err: errorField(error) };
    if (error instanceof InvalidEventError || attempt >= this.maxAttempts) {
      this.logger.error(context, 'Gave up on an event');
      this.settle(consumer, message, 'reject');
      return;
    }
    this.logger.warn(context, 'Event handler failed; retrying');
    try {
      // Republished (confirmed) before the original is acknowledged: a crash in
      // between duplicates the event, which the inbox absorbs, but never loses it.
      await this.track(
        this.confirmed((done) =>
          this.publishChannel.sendToQueue(queue, message.content, publishOptions(event, { ...message.properties.headers, [attemptsHeader]: attempt }), done),
        ),
      );
      this.settle(consumer, message, 'ack');
    } catch (republishError) {
      this.logger.error({ ...context, err: errorField(republishError) }, 'Could not schedule a retry; requeueing');
      this.settle(consumer, message, 'requeue');
    }
  }

  private settle(consumer: Consumer, message: ConsumeMessage, outcome: 'ack' | 'requeue' | 'reject'): void {
    try {
      if (outcome === 'ack') consumer.channel.ack(message);
      else consumer.channel.nack(message, false, outcome === 'requeue');
    } catch (error) {
      // The channel is gone; the broker redelivers whatever was not acknowledged.
      this.logger.warn({ queue: consumer.subscription.queue, outcome, err: errorField(error) }, 'Could not settle a message');
    }
  }

  /** Wraps a confirm-channel call so it resolves on the broker's ack and rejects on its nack. */
  private confirmed(send: (done: (error: unknown) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      send((error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()));
    });
  }

  private track(publish: Promise<void>): Promise<void> {
    this.pendingPublishes.add(publish);
    const forget = () => this.pendingPublishes.delete(publish);
    publish.then(forget, forget);
    return publish;
  }

  private watchChannel(channel: Channel, role: string): void {
    channel.on('error', (error: Error) => this.logger.error({ channel: role, err: errorField(error) }, 'RabbitMQ channel error'));
  }
}
