import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WebSocket, WebSocketServer } from 'ws';

/** How often every socket is pinged, and how long it has to answer: graphql-ws's own default. */
export const keepAliveMs = 12_000;

/** Pings sent in one turn of the event loop: each is a socket write, and a fan-out must not wait behind ten thousand of them. */
const pingSlice = 500;

/** Set on a socket pinged in the last round until it answers. */
const awaitingPong = Symbol('awaitingPong');
type KeptSocket = WebSocket & { [awaitingPong]?: boolean };

/** Shared by every socket: ws calls a listener with the socket as `this`, so no socket needs a closure of its own. */
function answered(this: KeptSocket): void {
  this[awaitingPong] = false;
}

/**
 * Keeps every socket of `server` alive with one timer: each round pings the
 * sockets that are open and terminates those that did not answer the round
 * before. graphql-ws's own keep-alive (useServer's third argument, 0 to turn
 * it off) holds an interval per socket and, every round, a timeout and a
 * `once('pong')` wrapper per socket as well; ten thousand idle connections
 * then cost ten thousand timers and their wake-ups. Returns the stop function.
 */
export function keepSocketsAlive(server: WebSocketServer, intervalMs = keepAliveMs): () => void {
  server.on('connection', (socket: WebSocket) => socket.on('pong', answered));
  let stopped = false;
  const round = async () => {
    let sent = 0;
    for (const socket of server.clients as Set<KeptSocket>) {
      if (stopped) return;
      if (socket.readyState !== socket.OPEN) continue;
      if (socket[awaitingPong]) {
        socket.terminate();
        continue;
      }
      socket[awaitingPong] = true;
      socket.ping();
      if (++sent % pingSlice === 0) await nextTurn();
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  // The server's own listeners keep the process up; keep-alive alone does not.
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
