import { WebSocket, type RawData } from 'ws';

/** Wall-clock time in ms with sub-millisecond precision, comparable between the publisher and the subscribers of this process. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface SubscriberPoolOptions {
  /** The gateway's ws:// URL, or several gateways' (subscriber i goes to URL i mod their number). */
  url: string | string[];
  /** One access token per subscriber. */
  tokens: string[];
  subscription: { query: string; variables: Record<string, unknown> };
  /** Handshakes in flight at once, so the gateway's listen backlog never overflows. */
  concurrency: number;
  /** How many events this pool will receive, numbered 0..events-1 by `eventOf`. */
  events: number;
  /** The event number a `next` payload carries, or null when the payload is not one of ours or not as expected. */
  eventOf: (payload: unknown) => number | null;
}

export interface SubscriberPool {
  size: number;
  /** Receive time (nowMs) of event e at subscriber s at [s * events + e]; NaN until it arrives. */
  received: Float64Array;
  counts: {
    /** `next` messages that were not as expected, or repeated an event. */
    wrong: number;
    /** graphql-ws `error` or `complete` messages, and sockets that closed before we closed them. */
    failures: number;
  };
  /** Deliveries so far, of all subscribers and events. */
  delivered(): number;
  close(): Promise<void>;
}

interface ServerMessage {
  type: string;
  payload?: unknown;
}

/**
 * N subscribers on raw `ws` speaking graphql-transport-ws by hand: far
 * lighter than N graphql-ws clients, so one process can hold 10,000. Each
 * sends connection_init with its token and, once acknowledged, one
 * `subscribe`; the handler of a `next` only stamps the time and checks the
 * payload, so it adds as little as possible to what is measured.
 */
export async function openSubscribers(options: SubscriberPoolOptions): Promise<SubscriberPool> {
  const { tokens, events } = options;
  const urls = typeof options.url === 'string' ? [options.url] : options.url;
  const received = new Float64Array(tokens.length * events).fill(NaN);
  const counts = { wrong: 0, failures: 0 };
  const sockets: WebSocket[] = [];
  let delivered = 0;
  let closing = false;
  const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload: options.subscription });

  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(urls[index % urls.length]!, 'graphql-transport-ws', { perMessageDeflate: false });
      sockets.push(socket);
      let acknowledged = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens[index]}` } })));
      socket.on('message', (data: RawData) => {
        const at = nowMs();
        const message = JSON.parse(data.toString()) as ServerMessage;
        if (message.type === 'next') {
          const event = options.eventOf(message.payload);
          const slot = index * events + (event ?? 0);
          if (event === null || event < 0 || event >= events || !Number.isNaN(received[slot]!)) {
            counts.wrong += 1;
            return;
          }
          received[slot] = at;
          delivered += 1;
        } else if (message.type === 'connection_ack') {
          acknowledged = true;
          socket.send(subscribe);
          resolve();
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        } else if (message.type === 'error' || message.type === 'complete') {
          counts.failures += 1;
        }
      });
      socket.on('error', (error) => {
        if (!acknowledged) reject(error);
      });
      socket.on('close', (code, reason) => {
        if (!acknowledged) reject(new Error(`subscriber ${index} closed before connection_ack: ${code} ${reason.toString()}`));
        else if (!closing) counts.failures += 1;
      });
    });

  let next = 0;
  const worker = async () => {
    // Stops handing out work once one handshake has failed and the pool is closing.
    for (let index = next++; index < tokens.length && !closing; index = next++) await open(index);
  };
  const pool: SubscriberPool = {
    size: tokens.length,
    received,
    counts,
    delivered: () => delivered,
    async close() {
      closing = true;
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close(1000);
              // A peer that never answers the close handshake must not hold the benchmark.
              setTimeout(() => socket.terminate(), 5_000).unref();
            }),
        ),
      );
    },
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, tokens.length) }, worker));
  } catch (error) {
    await pool.close();
    throw error;
  }
  return pool;
}
