/**
 * WebSocket subscribers in a Node process of their own, started by
 * lib/subscriber-clients.ts over IPC: thousands of client sockets cost CPU of
 * their own (every frame is read and checked), and in the process that also
 * publishes and runs the subgraphs they would delay both. Here they only
 * stamp each frame's arrival (the machine's one wall clock, so publish times
 * from the parent compare) and note which frame it was: identical frames
 * (every subscriber of one event gets the same bytes) share one entry, and
 * the parent checks each distinct frame once, after the run.
 */
import { WebSocket, type RawData } from 'ws';
import type { SubscriberChildMessage, SubscriberParentMessage, SubscriberRange } from './subscriber-protocol';

const nowMs = (): number => performance.timeOrigin + performance.now();

/** What a frame's text was, the first time it came: a `next` (its index in `texts`), or one of these. */
const ping = -1;
const failure = -2;
const ignored = -3;

const texts: string[] = [];
const kinds = new Map<string, number>();
const sockets: WebSocket[] = [];
let times = new Float64Array(0);
let textIds = new Int32Array(0);
let counts = new Int32Array(0);
let capacity = 0;
let delivered = 0;
let overflow = 0;
let failures = 0;
/** The first failure's message, to say why in the report. */
let firstFailure: string | null = null;
let closing = false;

function cpuMicros(): number {
  const cpu = process.cpuUsage();
  return cpu.user + cpu.system;
}

function send(message: SubscriberChildMessage): void {
  process.send?.(message);
}

function kindOf(text: string): number {
  const message = JSON.parse(text) as { type?: string };
  if (message.type === 'next') {
    texts.push(text);
    return texts.length - 1;
  }
  if (message.type === 'ping') return ping;
  if (message.type === 'error' || message.type === 'complete') return failure;
  return ignored;
}

async function open(range: SubscriberRange): Promise<void> {
  const { urls, tokens, query, variables, from, concurrency } = range;
  capacity = range.capacity;
  times = new Float64Array(tokens.length * capacity);
  textIds = new Int32Array(tokens.length * capacity);
  counts = new Int32Array(tokens.length);
  const pong = JSON.stringify({ type: 'pong' });

  const connect = (local: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(urls[(from + local) % urls.length]!, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
      sockets.push(socket);
      let acknowledged = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens[local]}` } })));
      socket.on('message', (data: RawData) => {
        const at = nowMs();
        const text = data.toString();
        let kind = kinds.get(text);
        if (kind === undefined) {
          if (!acknowledged && (JSON.parse(text) as { type?: string }).type === 'connection_ack') {
            acknowledged = true;
            socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: variables[local] } }));
            if (!range.awaitCurrent) resolve();
            return;
          }
          kind = kindOf(text);
          kinds.set(text, kind);
        }
        if (kind >= 0) {
          resolve();
          const count = counts[local]!;
          if (count >= capacity) {
            overflow += 1;
            return;
          }
          times[local * capacity + count] = at;
          textIds[local * capacity + count] = kind;
          counts[local] = count + 1;
          delivered += 1;
        } else if (kind === ping) socket.send(pong);
        else if (kind === failure) {
          failures += 1;
          firstFailure ??= text.slice(0, 500);
          if (range.awaitCurrent) reject(new Error(`subscriber ${from + local} was refused: ${text.slice(0, 500)}`));
        }
      });
      socket.on('error', (error) => {
        if (!acknowledged) reject(error);
      });
      socket.on('close', (code, reason) => {
        if (!acknowledged) reject(new Error(`subscriber ${from + local} closed before connection_ack: ${code} ${reason.toString()}`));
        else if (!closing) failures += 1;
      });
    });

  let next = 0;
  const worker = async () => {
    for (let local = next++; local < tokens.length && !closing; local = next++) await connect(local);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
}

async function close(): Promise<void> {
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
  sockets.length = 0;
}

process.on('message', (message: SubscriberParentMessage) => {
  switch (message.type) {
    case 'open':
      open(message.range).then(
        () => send({ type: 'opened' }),
        (error: unknown) => void close().then(() => send({ type: 'failed', error: error instanceof Error ? error.message : String(error) })),
      );
      break;
    case 'progress':
      send({ type: 'progress', delivered, failures, firstFailure, cpuMicros: cpuMicros() });
      break;
    case 'collect': {
      send({ type: 'collected', texts, times, textIds, counts, capacity, overflow, failures, cpuMicros: cpuMicros() });
      break;
    }
    case 'close':
      void close().then(() => send({ type: 'closed' }));
      break;
  }
});
// The benchmark died: do not outlive it.
process.on('disconnect', () => process.exit(0));
