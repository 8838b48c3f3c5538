import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from 'amqplib';
import { copyOptions } from './amqp-copy';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { EventBus, Subscription } from './bus';
import { checkRetryOptions, deadLetterHeaders, queueTopology, retryDelayFor } from './dead-letter';
import type { EventEnvelope } from './envelope';
import { BrokerUnavailableError, InvalidEventError } from './errors';
import { errorField, silentLogger, type EventLogger } from './logger';
import { noEventMetrics, unreadableEventType, type ConsumeOutcome } from './metrics';
import { consumeTraced, traceHeaders } from './trace-context';
import { parseEnvelope } from './validation';
import { QueueDeclarer, topologyDeclarations, type QueueType } from './queue-declaration';

export interface AmqpEventBusOptions {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /**
   * Prefixes the exchange (`<namespace>.events`) and every queue name, and names
   * the connections, so several deployments (or parallel test runs) can share
   * one broker without seeing each other's events. Default `commerce`.
   */
  namespace?: string;
  /** Unacknowledged deliveries per consumer, i.e. how many events it handles at once. Default 16. */
  prefetch?: number;
  logger?: EventLogger;
  /** Handler calls per event before it goes to the dead-letter queue. Default 5. */
  maxAttempts?: number;
  /** Pause before each retry, by failed attempt; the last one repeats. Default [1000, 5000, 25000]. */
  retryDelaysMs?: number[];
  /** Pauses between reconnection attempts. Default 100 ms doubling up to 5 s, with jitter. */
  reconnect?: BackoffOptions;
  /** The kind of queue subscriptions declare (EVENTS_QUEUE_TYPE). Default `quorum`. */
  queueType?: QueueType;
  /**
   * Quorum main queues only: deliveries of one message never settled (its
   * consumer died with it each time) before the broker dead-letters it. Default 20.
   */
  deliveryLimit?: number;
}

const defaultRetryDelaysMs = [1_000, 5_000, 25_000];

/** A subscription as the bus keeps it across connections. */
interface Registration {
  subscription: Subscription;
  topology: ReturnType<typeof queueTopology>;
  /**
   * The last handling queued per aggregate, so one aggregate's events run one
   * after another. Kept here rather than per channel so a redelivery after a
   * reconnection waits for the old channel's handler of the same aggregate.
   */
  tails: Map<string, Promise<void>>;
  /** Counts a delivery under the queue name it was subscribed with (its metrics know no namespace). */
  count(type: string, outcome: ConsumeOutcome): void;
}

/** One connection and what lives on it; replaced wholesale on reconnection. */
interface Link {
  connection: ChannelModel;
  publishChannel: ConfirmChannel;
  consumers: Consumer[];
  /** Set when the connection closed; nothing on it may be used any more. */
  lost: boolean;
}

interface Consumer {
  registration: Registration;
  link: Link;
  channel: Channel;
  consumerTag: string;
  /** Declared and consuming; only then does its channel closing mean the link is broken. */
  ready: boolean;
  /**
   * False once the channel closed. Its unacknowledged deliveries belong to the
   * broker again and will be redelivered, so nothing may settle them, nor fork
   * a retry copy of them.
   */
  open: boolean;
  /** Set once close() starts: deliveries that have not started go back to the queue. */
  stopping: boolean;
}

function publishOptions(event: EventEnvelope): Options.Publish {
  return {
    persistent: true,
    messageId: event.id,
    type: event.type,
    contentType: 'application/json',
    correlationId: event.correlationId,
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    headers: traceHeaders(event),
  };
}

function attemptsOf(message: ConsumeMessage): number {
  const value: unknown = message.properties.headers?.[deadLetterHeaders.attempts];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

/** The headers a copy carries on: ours and the publisher's, not the broker's `x-death` bookkeeping, which grows with every lap. */
function carriedHeaders(message: ConsumeMessage): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(message.properties.headers ?? {})) {
    if (!/^x-(death|first-death|last-death)/.test(name)) headers[name] = value;
  }
  return headers;
}

function originalRoutingKey(message: ConsumeMessage): string {
  const value: unknown = message.properties.headers?.[deadLetterHeaders.routingKey];
  return typeof value === 'string' ? value : message.fields.routingKey;
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
 * Failures: a handler that fails is acknowledged only after a copy of its
 * message is confirmed in a retry queue, whose TTL sends it back to the main
 * queue after a delay growing with each attempt (the events behind it are not
 * held up, so a retried event may overtake later ones of its aggregate;
 * handlers are written for any order). After `maxAttempts` the copy goes to
 * `<queue>.dead` instead, with the error, attempt count, original routing key
 * and time as headers. Messages that are not envelopes, and handlers failing
 * with {@link InvalidEventError}, go to `<queue>.dead` at once.
 *
 * Queues are quorum queues unless `queueType` says classic; one that exists
 * already with another type is used as it is, with a warning (see
 * {@link QueueDeclarer}).
 *
 * Reconnection: amqplib does not reconnect, and the libraries that wrap it
 * to do so bring their own channel and consumer model. The loop here is a
 * few lines with no extra dependency and keeps full control of what matters:
 * re-declaring the exchange and re-subscribing every subscription on the new
 * connection, and never settling a delivery on a channel other than the one
 * it came from. While disconnected, publish() rejects at once with
 * {@link BrokerUnavailableError} (the outbox keeps the rows and retries).
 */
export class AmqpEventBus implements EventBus {
  readonly exchange: string;
  private readonly namespace: string;
  private readonly prefetch: number;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: number[];
  private readonly queueType: QueueType;
  private readonly deliveryLimit: number;
  private readonly logger: EventLogger;
  private readonly registrations: Registration[] = [];
  private consumingStopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingPublishes = new Set<Promise<void>>();
  private link: Link | null = null;
  private reconnectFailures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnecting: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  private constructor(private readonly options: AmqpEventBusOptions) {
    this.namespace = options.namespace ?? 'commerce';
    this.exchange = `${this.namespace}.events`;
    this.prefetch = options.prefetch ?? 16;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelaysMs = options.retryDelaysMs ?? defaultRetryDelaysMs;
    this.queueType = options.queueType ?? 'quorum';
    this.deliveryLimit = options.deliveryLimit ?? 20;
    this.logger = options.logger ?? silentLogger;
    checkRetryOptions(this.maxAttempts, this.retryDelaysMs);
  }

  /**
   * Connects, opens the publishing channel and declares the exchange. The
   * first connection must succeed (a service that cannot reach its broker at
   * start-up should fail visibly); later losses are reconnected.
   */
  static async connect(options: AmqpEventBusOptions): Promise<AmqpEventBus> {
    const bus = new AmqpEventBus(options);
    const link = await bus.openLink();
    if (link.lost) throw new BrokerUnavailableError('The RabbitMQ connection closed while opening');
    bus.link = link;
    return bus;
  }

  /** True while a connection is up; false while reconnecting. */
  get connected(): boolean {
    return this.link !== null;
  }

  publish(event: EventEnvelope): Promise<void> {
    if (this.closing) return Promise.reject(new Error('The event bus is closed'));
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(event);
    } catch (error) {
      return Promise.reject(error);
    }
    const link = this.link;
    if (!link) return Promise.reject(new BrokerUnavailableError('RabbitMQ is unreachable; reconnecting'));
    const content = Buffer.from(JSON.stringify(envelope));
    return this.track(this.confirmed((done) => link.publishChannel.publish(this.exchange, envelope.type, content, publishOptions(envelope), done)));
  }

  async subscribe(unqualified: Subscription): Promise<void> {
    if (this.closing) throw new Error('The event bus is closed');
    const registration: Registration = {
      subscription: { ...unqualified, queue: `${this.namespace}.${unqualified.queue}` },
      topology: queueTopology(this.namespace, unqualified.queue, this.retryDelaysMs),
      tails: new Map(),
      count: (type, outcome) => (unqualified.metrics ?? noEventMetrics).consumed(unqualified.queue, type, outcome),
    };
    this.registrations.push(registration);
    const link = this.link;
    // While reconnecting, the new connection subscribes every registration.
    if (!link) return;
    try {
      link.consumers.push(await this.openConsumer(link, registration));
    } catch (error) {
      if (link.lost) return;
      this.registrations.splice(this.registrations.indexOf(registration), 1);
      throw error;
    }
  }

  /**
   * Stops reconnecting, cancels every consumer, lets handlers already running
   * finish (and be acknowledged), waits for outstanding publisher confirms,
   * then closes the channels and the connection. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  problem(): string | null {
    if (this.closing) return 'the event bus is closed';
    return this.link && !this.link.lost ? null : 'not connected to RabbitMQ; reconnecting';
  }

  /**
   * Cancels every consumer and lets handlers already running finish (and be
   * acknowledged); events delivered but not started go back to their queue
   * as they were, without a retry counted. Publishing goes on, so an outbox
   * can still be drained. Consumers are not reopened after a reconnection.
   */
  async stopConsuming(): Promise<void> {
    this.consumingStopped = true;
    await this.reconnecting;
    for (const consumer of this.link?.consumers ?? []) {
      if (consumer.stopping) continue;
      consumer.stopping = true;
      await consumer.channel.cancel(consumer.consumerTag).catch((error: unknown) => {
        this.logger.warn({ queue: consumer.registration.subscription.queue, err: errorField(error) }, 'Could not cancel a consumer');
      });
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async shutDown(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.stopConsuming();
    await Promise.allSettled([...this.pendingPublishes]);
    const link = this.link;
    this.link = null;
    if (link) await this.closeLink(link);
  }

  private async closeLink(link: Link): Promise<void> {
    for (const consumer of link.consumers) await consumer.channel.close().catch(() => undefined);
    await link.publishChannel.close().catch(() => undefined);
    await link.connection.close().catch(() => undefined);
  }

  /** A connection with the exchange declared and every registered subscription consuming. */
  private async openLink(): Promise<Link> {
    // Named after the namespace, so operators (and the outage test) can tell whose connection is whose.
    const connection = await connect(this.options.url, { clientProperties: { connection_name: this.namespace } });
    // Without an 'error' listener a dropped connection would crash the process.
    connection.on('error', (error: Error) => this.logger.warn({ err: errorField(error) }, 'RabbitMQ connection error'));
    let link: Link | undefined;
    let closed = false;
    connection.on('close', () => {
      closed = true;
      if (link) this.onLinkLost(link);
    });
    try {
      const publishChannel = await connection.createConfirmChannel();
      const opened: Link = { connection, publishChannel, consumers: [], lost: closed };
      link = opened;
      this.watchChannel(publishChannel, 'publish', () => this.breakLink(opened));
      await publishChannel.assertExchange(this.exchange, 'topic', { durable: true });
      // A for-of over the live array also picks up subscriptions registered meanwhile.
      if (!this.consumingStopped) for (const registration of this.registrations) opened.consumers.push(await this.openConsumer(opened, registration));
      return opened;
    } catch (error) {
      if (link) link.lost = true;
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private async openConsumer(link: Link, registration: Registration): Promise<Consumer> {
    const { subscription, topology } = registration;
    const channel = await link.connection.createChannel();
    const consumer: Consumer = { registration, link, channel, consumerTag: '', ready: false, open: true, stopping: false };
    this.watchChannel(channel, subscription.queue, () => {
      consumer.open = false;
      if (consumer.ready) this.breakLink(link);
    });
    try {
      await channel.prefetch(this.prefetch);
      const declarer = new QueueDeclarer(link.connection, this.logger);
      try {
        for (const declaration of topologyDeclarations(topology, this.queueType, this.deliveryLimit)) await declarer.declare(declaration);
      } finally {
        await declarer.close();
      }
      for (const binding of subscription.bindings) await channel.bindQueue(topology.main, this.exchange, binding);
      const { consumerTag } = await channel.consume(topology.main, (message) => this.onDelivery(consumer, message));
      consumer.consumerTag = consumerTag;
      consumer.ready = true;
      return consumer;
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** A channel closed under a live connection: start over on a fresh connection rather than patch it up. */
  private breakLink(link: Link): void {
    if (link.lost || this.closing || this.link !== link) return;
    this.logger.warn({}, 'A RabbitMQ channel closed unexpectedly; reconnecting');
    link.connection.close().catch(() => undefined);
  }

  private onLinkLost(link: Link): void {
    link.lost = true;
    for (const consumer of link.consumers) consumer.open = false;
    if (this.link !== link) return;
    this.link = null;
    if (this.closing) return;
    this.logger.error({}, 'Lost the RabbitMQ connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delayMs = backoffDelay(this.reconnectFailures++, this.options.reconnect);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.reconnecting = this.reconnect().finally(() => {
        this.reconnecting = null;
      });
    }, delayMs);
  }

  private async reconnect(): Promise<void> {
    let link: Link;
    try {
      link = await this.openLink();
      if (link.lost) throw new BrokerUnavailableError('The RabbitMQ connection closed while opening');
    } catch (error) {
      if (this.closing) return;
      this.logger.warn({ failures: this.reconnectFailures, err: errorField(error) }, 'Could not reconnect to RabbitMQ; trying again');
      this.scheduleReconnect();
      return;
    }
    if (this.closing) {
      await this.closeLink(link);
      return;
    }
    this.logger.info({ failures: this.reconnectFailures }, 'Reconnected to RabbitMQ');
    this.reconnectFailures = 0;
    this.link = link;
  }

  private onDelivery(consumer: Consumer, message: ConsumeMessage | null): void {
    const queue = consumer.registration.subscription.queue;
    if (!message) {
      // The broker cancelled us, e.g. because the queue was deleted.
      this.logger.warn({ queue }, 'RabbitMQ cancelled a consumer');
      return;
    }
    let event: EventEnvelope;
    try {
      event = parseEnvelope(JSON.parse(message.content.toString('utf8')));
    } catch (error) {
      // Poison: redelivering it would fail forever, so it goes straight to the dead letters.
      this.runTracked(this.failed(consumer, message, null, error));
      return;
    }
    const { tails } = consumer.registration;
    const key = event.aggregateId;
    const handling = (tails.get(key) ?? Promise.resolve()).then(() => this.handle(consumer, message, event));
    tails.set(key, handling);
    this.runTracked(handling);
    const forget = () => {
      if (tails.get(key) === handling) tails.delete(key);
    };
    handling.then(forget, forget);
  }

  private runTracked(work: Promise<void>): void {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
  }

  /** Never rejects: every outcome ends in an ack, a nack, or (channel gone) the broker's redelivery. */
  private async handle(consumer: Consumer, message: ConsumeMessage, event: EventEnvelope): Promise<void> {
    if (consumer.stopping || !consumer.open) {
      this.settle(consumer, message, 'requeue');
      return;
    }
    try {
      const { subscription } = consumer.registration;
      await consumeTraced(subscription.queue, event, message.properties.headers, () => subscription.handle(event));
      this.settle(consumer, message, 'ack');
      consumer.registration.count(event.type, 'ok');
    } catch (error) {
      await this.failed(consumer, message, event, error);
    }
  }

  /** Sends a copy to the retry queue due, or to the dead letters, and acknowledges the original once the copy is confirmed. */
  private async failed(consumer: Consumer, message: ConsumeMessage, event: EventEnvelope | null, error: unknown): Promise<void> {
    const { topology, subscription } = consumer.registration;
    const attempts = attemptsOf(message) + 1;
    const invalid = event === null || error instanceof InvalidEventError;
    const dead = invalid || attempts >= this.maxAttempts;
    const delayMs = dead ? null : retryDelayFor(attempts, this.retryDelaysMs);
    const context = { queue: subscription.queue, eventId: event?.id ?? message.properties.messageId, type: event?.type, attempts, err: errorField(error) };
    if (!consumer.open) {
      // The broker already took the message back; a copy now would be a second one.
      this.logger.warn(context, 'Event handler failed after its channel closed; the broker redelivers it');
      return;
    }
    const headers: Record<string, unknown> = {
      ...carriedHeaders(message),
      [deadLetterHeaders.attempts]: attempts,
      [deadLetterHeaders.routingKey]: originalRoutingKey(message),
    };
    if (dead) {
      headers[deadLetterHeaders.error] = errorField(error).message;
      headers[deadLetterHeaders.deadLetteredAt] = new Date().toISOString();
    }
    const target = delayMs === null ? topology.dead : topology.retry(delayMs);
    if (dead) this.logger.error(context, invalid ? 'Dead-lettered an invalid event' : 'Dead-lettered an event after its last attempt');
    else this.logger.warn({ ...context, retryInMs: delayMs }, 'Event handler failed; retrying later');
    try {
      // Confirmed before the original is acknowledged: a crash in between
      // duplicates the event, which the inbox absorbs, but never loses it.
      await this.track(this.confirmed((done) => consumer.link.publishChannel.sendToQueue(target, message.content, copyOptions(message.properties, headers), done)));
      this.settle(consumer, message, 'ack');
      consumer.registration.count(event?.type ?? unreadableEventType, dead ? 'dead-lettered' : 'retried');
    } catch (copyError) {
      this.logger.error({ ...context, err: errorField(copyError) }, 'Could not move a failed event; requeueing it');
      this.settle(consumer, message, 'requeue');
    }
  }

  private settle(consumer: Consumer, message: ConsumeMessage, outcome: 'ack' | 'requeue'): void {
    // A delivery tag means nothing on another channel; the broker redelivers what the dead channel held.
    if (!consumer.open) return;
    try {
      if (outcome === 'ack') consumer.channel.ack(message);
      else consumer.channel.nack(message, false, true);
    } catch (error) {
      this.logger.warn({ queue: consumer.registration.subscription.queue, outcome, err: errorField(error) }, 'Could not settle a message');
    }
  }

  /** Wraps a confirm-channel call so it resolves on the broker's ack and rejects on its nack or a closed channel. */
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

  private watchChannel(channel: Channel, role: string, onClose: () => void): void {
    channel.on('error', (error: Error) => this.logger.warn({ channel: role, err: errorField(error) }, 'RabbitMQ channel error'));
    channel.on('close', onClose);
  }
}
