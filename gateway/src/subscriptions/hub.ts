import type { LivePubSub } from '@commerce/pubsub';
import type { Identity, Logger } from '@commerce/service-kit';
import { SharedSubscription, type SharedSubscriptionSpec } from './shared-subscription';
import type { LiveStream } from './stream';

/** What the hub has done so far; the benchmark and the tests read it. */
export interface SubscriptionStats {
  /** Distinct live subscriptions, each with one pub/sub subscription per channel. */
  shared: number;
  /** Streams of clients over all transports. */
  subscribers: number;
  /** Messages resolved since start: one per message per shared subscription, not per subscriber. */
  resolutions: number;
}

/**
 * The gateway instance's shared subscriptions by key: the first subscriber of
 * a key opens one, the last to leave closes it. After the pub/sub reconnects,
 * each resends its current state.
 */
export class SubscriptionHub {
  private readonly shared = new Map<string, SharedSubscription>();
  private resolutions = 0;
  private readonly stopListening: () => void;

  constructor(
    private readonly pubsub: LivePubSub,
    private readonly logger: Logger,
  ) {
    this.stopListening = pubsub.onResubscribed(() => {
      for (const subscription of this.shared.values()) subscription.resync();
    });
  }

  /**
   * Adds `stream` to the subscription of `key`, opening it with `spec` if it
   * is the first; resolves once its channels are subscribed. Returns the
   * shared subscription, whose `resolutions` count the caller reads before
   * resolving the stream's current state.
   */
  async join(key: string, spec: SharedSubscriptionSpec, stream: LiveStream, identity: Identity | null): Promise<SharedSubscription> {
    let subscription = this.shared.get(key);
    if (!subscription) {
      const opened: SharedSubscription = new SharedSubscription(
        spec,
        this.pubsub,
        this.logger,
        () => this.resolutions++,
        () => {
          if (this.shared.get(key) === opened) this.shared.delete(key);
        },
      );
      subscription = opened;
      this.shared.set(key, opened);
    }
    subscription.add(stream, identity);
    try {
      await subscription.ready;
    } catch (error) {
      if (this.shared.get(key) === subscription) this.shared.delete(key);
      await stream.return();
      throw error;
    }
    return subscription;
  }

  stats(): SubscriptionStats {
    let subscribers = 0;
    for (const subscription of this.shared.values()) subscribers += subscription.size;
    return { shared: this.shared.size, subscribers, resolutions: this.resolutions };
  }

  /** Ends every pub/sub subscription and every client's stream (SSE and multipart responses end with them). */
  async close(): Promise<void> {
    this.stopListening();
    const all = [...this.shared.values()];
    this.shared.clear();
    await Promise.all(all.map((subscription) => subscription.stop()));
  }
}
