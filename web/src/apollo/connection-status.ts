/**
 * Whether the app can reach the graph: the browser's own online flag and the
 * live connection's state. The offline banner reads it; it recovers by itself
 * when the browser is back online and the WebSocket reconnects.
 */
export type ConnectionState = 'online' | 'offline' | 'reconnecting';

let browserOnline = navigator.onLine;
let socket: 'idle' | 'connected' | 'lost' = 'idle';
let lostTimer: ReturnType<typeof setTimeout> | undefined;
/** A socket renewed at once (an expired token's) is not worth a banner. */
const graceMs = 3_000;
const listeners = new Set<() => void>();
let state: ConnectionState = compute();

function compute(): ConnectionState {
  if (!browserOnline) return 'offline';
  return socket === 'lost' ? 'reconnecting' : 'online';
}

function update(): void {
  const next = compute();
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

window.addEventListener('online', () => {
  browserOnline = true;
  update();
});
window.addEventListener('offline', () => {
  browserOnline = false;
  update();
});

export const connectionStatus = {
  get: (): ConnectionState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  socketConnected(): void {
    clearTimeout(lostTimer);
    socket = 'connected';
    update();
  },
  /** The socket closed with subscriptions still wanting it: reconnecting. */
  socketLost(): void {
    clearTimeout(lostTimer);
    lostTimer = setTimeout(() => {
      socket = 'lost';
      update();
    }, graceMs);
  },
  /** The socket closed because nothing needs it any more (graphql-ws's lazy close). */
  socketIdle(): void {
    clearTimeout(lostTimer);
    socket = 'idle';
    update();
  },
};
