/**
 * Fan-out of live changes to every gateway instance: the owning subgraph
 * publishes a small JSON message on a channel once a change has committed, and
 * each gateway holding a subscription to that channel re-resolves it.
 *
 * Channel names are passed WITHOUT the deployment's namespace; each adapter
 * adds it, so deployments sharing a Redis never hear each other.
 */
export interface LivePubSub {
  /** Sends `message` (JSON-serialisable) to everyone subscribed to `channel` right now; nothing is kept for later. */
  publish(channel: string, message: object): Promise<void>;
  /**
   * Calls `onMessage` with a copy of every message later published on
   * `channel`. Resolves once the subscription is live, with a function that
   * ends it (calling it again, or after close(), does nothing).
   */
  subscribe(channel: string, onMessage: (message: unknown) => void): Promise<Unsubscribe>;
  /**
   * Calls `listener` each time the subscriptions are live again after the
   * connection to the broker was lost: messages published meanwhile are gone,
   * so subscribers that keep state should re-read it. Returns a function that
   * stops the calls.
   */
  onResubscribed(listener: () => void): () => void;
  /** Why changes cannot fan out right now (Redis unreachable), or null when they can. */
  problem(): string | null;
  /** Ends every subscription and releases the connections; publish() fails afterwards. */
  close(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

/** Where an adapter reports a subscriber that threw; the pino logger of the kit fits. */
export interface LiveLogger {
  error(details: object, message: string): void;
}

export const silentLiveLogger: LiveLogger = { error: () => undefined };

/** The namespace every adapter requires: the EVENTS_NAMESPACE of the deployment. */
export function checkNamespace(namespace: string): string {
  if (!/^[a-z0-9-]+$/.test(namespace)) {
    throw new Error(`Invalid live pub/sub namespace "${namespace}": use lower-case letters, digits and dashes`);
  }
  return namespace;
}

/** Runs a subscriber so that one that throws neither stops the others nor the connection's event loop. */
export function deliver(onMessage: (message: unknown) => void, message: unknown, channel: string, logger: LiveLogger): void {
  try {
    onMessage(message);
  } catch (error) {
    logger.error({ err: error, channel }, 'a live subscriber failed on a message');
  }
}
