import { checkNamespace, deliver, silentLiveLogger, type LiveLogger, type LivePubSub, type Unsubscribe } from './live-pubsub';

type Listener = (message: unknown) => void;

/**
 * What Redis is to {@link RedisLivePubSub}: the place publishers and
 * subscribers meet. Pub/subs built on one broker hear each other (within their
 * namespace), as gateway instances on one Redis do.
 */
export class InMemoryLiveBroker {
  private readonly channels = new Map<string, Set<Listener>>();

  add(channel: string, listener: Listener): void {
    const listeners = this.channels.get(channel) ?? new Set<Listener>();
    listeners.add(listener);
    this.channels.set(channel, listeners);
  }

  remove(channel: string, listener: Listener): void {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    listeners.delete(listener);
    if (listeners.size === 0) this.channels.delete(channel);
  }

  has(channel: string, listener: Listener): boolean {
    return this.channels.get(channel)?.has(listener) ?? false;
  }

  /** Subscribers of `channel`, each to be handed its own copy. */
  listeners(channel: string): Listener[] {
    return [...(this.channels.get(channel) ?? [])];
  }
}

export interface InMemoryLivePubSubOptions {
  /** Default `commerce`, as EVENTS_NAMESPACE. */
  namespace?: string;
  /** Shared to let several pub/subs hear each other; by default each has its own. */
  broker?: InMemoryLiveBroker;
  logger?: LiveLogger;
}

/**
 * The live pub/sub inside one process, for the quickstart and tests. Like
 * Redis, delivery is asynchronous and each subscriber receives a JSON copy of
 * the message, so nobody comes to rely on shared objects or on publish()
 * having run the subscribers.
 */
export class InMemoryLivePubSub implements LivePubSub {
  private readonly namespace: string;
  private readonly broker: InMemoryLiveBroker;
  private readonly logger: LiveLogger;
  private readonly own = new Set<{ channel: string; listener: Listener }>();
  private closed = false;

  constructor(options: InMemoryLivePubSubOptions = {}) {
    this.namespace = checkNamespace(options.namespace ?? 'commerce');
    this.broker = options.broker ?? new InMemoryLiveBroker();
    this.logger = options.logger ?? silentLiveLogger;
  }

  async publish(channel: string, message: object): Promise<void> {
    if (this.closed) throw new Error('The live pub/sub is closed');
    const name = this.qualified(channel);
    const wire = JSON.stringify(message);
    for (const listener of this.broker.listeners(name)) {
      // Checked again on delivery: unsubscribing must also drop what is already on its way.
      setImmediate(() => {
        if (this.broker.has(name, listener)) listener(JSON.parse(wire));
      });
    }
  }

  async subscribe(channel: string, onMessage: (message: unknown) => void): Promise<Unsubscribe> {
    if (this.closed) throw new Error('The live pub/sub is closed');
    const name = this.qualified(channel);
    const entry = { channel: name, listener: (message: unknown) => deliver(onMessage, message, name, this.logger) };
    this.broker.add(name, entry.listener);
    this.own.add(entry);
    return async () => {
      if (!this.own.delete(entry)) return;
      this.broker.remove(name, entry.listener);
    };
  }

  problem(): string | null {
    return this.closed ? 'the live pub/sub is closed' : null;
  }

  /** An in-process broker is never lost, so there is nothing to call back about. */
  onResubscribed(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.own) this.broker.remove(entry.channel, entry.listener);
    this.own.clear();
  }

  private qualified(channel: string): string {
    return `${this.namespace}.${channel}`;
  }
}
