import type { ExecutionResult, GraphQLError } from 'graphql';
import type { LivePubSub, Unsubscribe } from '@commerce/pubsub';
import { ErrorCode } from '@commerce/service-kit/src/errors';

/** Codes on the primary field that mean this caller may not have this stream at all. */
const refusingCodes = new Set<string>([ErrorCode.Forbidden, ErrorCode.NotFound, ErrorCode.Unauthenticated]);

/** The errors that refuse the subscription: a refusing code on the root field itself, not deeper in the selection. */
export function refusalOf(result: ExecutionResult, responseKey: string): readonly GraphQLError[] | null {
  const refusing = (result.errors ?? []).filter(
    (error) => refusingCodes.has(String(error.extensions?.code)) && (!error.path || (error.path.length === 1 && error.path[0] === responseKey)),
  );
  return refusing.length > 0 ? refusing : null;
}

export interface LiveStreamOptions {
  pubsub: LivePubSub;
  channels: readonly string[];
  /** Resolves the client's selection for one message. */
  resolve: (message: object) => Promise<ExecutionResult>;
  /** The message whose resolution is the current state, sent first; null for none. */
  initialEvent: object | null;
  responseKey: string;
}

export type OpenedStream = { refused: readonly GraphQLError[] } | { stream: LiveStream };

/**
 * One client's subscription: the current state first, then one resolution
 * per published message, in the order they arrived. Messages that arrive
 * while a resolution runs wait their turn rather than racing it, so a client
 * never sees an older state after a newer one.
 *
 * It is an async iterator with `return()`, which graphql-ws calls when the
 * client completes or disconnects, even before the first `next()`; that is
 * what unsubscribes from the pub/sub.
 */
export class LiveStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: object[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private unsubscribes: Unsubscribe[] = [];

  private constructor(
    private readonly resolve: (message: object) => Promise<ExecutionResult>,
    private initial: ExecutionResult | null,
  ) {}

  /**
   * Subscribes to every channel before resolving the current state, so a
   * change committed in between is delivered after it rather than lost.
   */
  static async open(options: LiveStreamOptions): Promise<OpenedStream> {
    const stream = new LiveStream(options.resolve, null);
    try {
      for (const channel of options.channels) {
        stream.unsubscribes.push(await options.pubsub.subscribe(channel, (message) => stream.push(message)));
      }
      if (options.initialEvent) {
        const initial = await options.resolve(options.initialEvent);
        const refused = refusalOf(initial, options.responseKey);
        if (refused) {
          await stream.return();
          return { refused };
        }
        stream.initial = initial;
      }
    } catch (error) {
      await stream.return();
      throw error;
    }
    return { stream };
  }

  /** The last result sent, to skip resolutions that changed nothing the client selected. */
  private lastSent: string | null = null;

  private push(message: unknown): void {
    if (this.finished || typeof message !== 'object' || message === null) return;
    this.queue.push(message);
    this.wake?.();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.initial) {
      const value = this.initial;
      this.initial = null;
      this.lastSent = JSON.stringify(value);
      return { value, done: false };
    }
    for (;;) {
      while (!this.finished && this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
      const message = this.queue.shift();
      if (this.finished || !message) return { value: undefined, done: true };
      const value = await this.resolve(message);
      // Several events can leave the selected fields as they were (a change to a field the
      // client did not ask for); the client hears only about what it can see change.
      const serialized = JSON.stringify(value);
      if (serialized === this.lastSent) continue;
      this.lastSent = serialized;
      return { value, done: false };
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.finished) {
      this.finished = true;
      this.queue.length = 0;
      this.wake?.();
      const unsubscribes = this.unsubscribes;
      this.unsubscribes = [];
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
    }
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
