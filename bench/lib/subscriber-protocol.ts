/** The IPC messages between the benchmark and its subscriber processes (lib/subscriber-process.ts). */

/** The subscribers one process opens: global numbers from..from+tokens.length-1. */
export interface SubscriberRange {
  /** Gateway ws:// URLs: subscriber i connects to urls[i mod their number]. */
  urls: string[];
  from: number;
  /** One access token per subscriber of the range. */
  tokens: string[];
  query: string;
  /** The subscription's variables, per subscriber of the range. */
  variables: Record<string, unknown>[];
  /** Handshakes in flight at once, so no gateway's listen backlog overflows. */
  concurrency: number;
  /** `next` messages recorded per subscriber; more are counted as overflow. */
  capacity: number;
  /**
   * The subscription sends its current state first: a subscriber counts as open (and the next
   * handshake starts) once that arrives, so subscribes in flight stay within `concurrency`
   * rather than piling up in the gateway while new handshakes wait behind them.
   */
  awaitCurrent: boolean;
}

export type SubscriberParentMessage = { type: 'open'; range: SubscriberRange } | { type: 'progress' } | { type: 'collect' } | { type: 'close' };

export type SubscriberChildMessage =
  | { type: 'opened' }
  | { type: 'failed'; error: string }
  | { type: 'progress'; delivered: number; failures: number; firstFailure: string | null; cpuMicros: number }
  | {
      type: 'collected';
      /** Each distinct `next` message received, as its text. */
      texts: string[];
      /** Per subscriber of the range, `capacity` slots: when each `next` arrived (ms, wall clock) and which text it was. */
      times: Float64Array;
      textIds: Int32Array;
      /** Slots used, per subscriber. */
      counts: Int32Array;
      capacity: number;
      /** `next` messages past `capacity`. */
      overflow: number;
      /** graphql-ws `error` or `complete` messages, and sockets that closed before they were closed. */
      failures: number;
      cpuMicros: number;
    }
  | { type: 'closed' };
