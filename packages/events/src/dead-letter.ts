/**
 * Headers the buses put on a message they retry or dead-letter. The broker
 * keeps them across the retry queues, so they travel with the message.
 */
export const deadLetterHeaders = {
  /** Failed handling attempts so far; absent on a first delivery. */
  attempts: 'x-commerce-attempts',
  /** The routing key the message was first published with (the event type): retries route by queue name instead. */
  routingKey: 'x-commerce-routing-key',
  /** The last failure's message. */
  error: 'x-commerce-error',
  /** When the message was given up on, ISO 8601. */
  deadLetteredAt: 'x-commerce-dead-lettered-at',
} as const;

/** One message a consumer gave up on, as `dead-letters list` shows it. */
export interface DeadLetter {
  /** The consumer's queue, unqualified (without the namespace). */
  queue: string;
  /** Null when the message was not a readable envelope. */
  eventId: string | null;
  type: string | null;
  attempts: number;
  error: string;
  routingKey: string;
  deadLetteredAt: string;
  /** The message body exactly as it arrived. */
  body: string;
}

/**
 * The queues behind one subscription: the main queue consumers read, one
 * retry queue per distinct delay (messages wait there for their TTL, then the
 * broker dead-letters them back to the main queue through the default
 * exchange) and the dead-letter queue.
 *
 * Retry queues are named by their delay rather than by attempt number: a
 * queue's arguments cannot change once declared, so a new delay gets a new
 * queue instead of a PRECONDITION_FAILED from the broker.
 */
export function queueTopology(namespace: string, queue: string, retryDelaysMs: readonly number[]) {
  const main = `${namespace}.${queue}`;
  return {
    main,
    dead: `${main}.dead`,
    retry: (delayMs: number) => `${main}.retry.${delayMs}ms`,
    retries: [...new Set(retryDelaysMs)].map((delayMs) => ({ name: `${main}.retry.${delayMs}ms`, delayMs })),
  };
}

/** The pause before the retry that follows failed attempt `attempts` (1-based); the last delay repeats. */
export function retryDelayFor(attempts: number, retryDelaysMs: readonly number[]): number {
  return retryDelaysMs[Math.min(attempts, retryDelaysMs.length) - 1]!;
}

/** Checks retry configuration once, at construction, rather than at the first failure. */
export function checkRetryOptions(maxAttempts: number, retryDelaysMs: readonly number[]): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  if (retryDelaysMs.length === 0 || retryDelaysMs.some((delay) => !Number.isInteger(delay) || delay < 0)) {
    throw new Error(`retryDelaysMs must be a non-empty list of non-negative integers, got [${retryDelaysMs.join(', ')}]`);
  }
}
