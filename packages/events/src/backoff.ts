/** Bounds of the reconnection backoff. */
export interface BackoffOptions {
  /** First pause, in ms. Default 100. */
  initialDelayMs?: number;
  /** No pause is longer than this, in ms. Default 5000. */
  maxDelayMs?: number;
}

/**
 * The pause before reconnection attempt `failures + 1`: exponential, capped,
 * with "equal jitter" (half fixed, half random) so a broker restart is not
 * met by every service reconnecting in the same millisecond.
 */
export function backoffDelay(failures: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
