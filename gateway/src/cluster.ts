import cluster, { type Worker } from 'node:cluster';

/**
 * GATEWAY_WORKERS: how many gateway processes share the port (Node cluster).
 * One gateway process spends about a core on its sockets; with more workers
 * the connections spread over the machine's cores. Default 1: no cluster.
 */
export function gatewayWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GATEWAY_WORKERS;
  if (raw === undefined || raw === '') return 1;
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`GATEWAY_WORKERS must be a whole number from 1 to 64, not "${raw}"`);
  return workers;
}

/**
 * Runs `worker` in this process when `workers` is 1 or this is already a
 * cluster worker; otherwise this process becomes the primary: it forks
 * `workers` copies, which all listen on the configured port (the primary
 * hands each connection to one of them, round robin), and serves nothing
 * itself.
 *
 * The primary replaces a worker that dies after it started listening; a
 * worker that dies before ever listening (bad configuration, port taken)
 * would only die again, so the primary stops the rest and exits 1. SIGTERM
 * and SIGINT are passed to every worker, each of which drains as a lone
 * gateway does; the primary exits once they all have, 0 if they all exited 0.
 *
 * State that must be shared between workers needs REDIS_URL: live events for
 * subscriptions, rate limits, persisted queries and revoked sessions.
 */
export function runClustered(workers: number, worker: () => void): void {
  if (workers <= 1 || !cluster.isPrimary) {
    worker();
    return;
  }
  let stopping = false;
  let failed = false;
  const listening = new WeakSet<Worker>();
  const fork = () => {
    const child = cluster.fork();
    child.once('listening', () => listening.add(child));
  };
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const child of Object.values(cluster.workers ?? {})) child?.process.kill(signal);
  };
  cluster.on('exit', (child, code, signal) => {
    const clean = code === 0 && !signal;
    if (!clean) failed = true;
    if (!stopping) {
      if (listening.has(child)) {
        console.error(`Gateway worker ${child.process.pid} exited (${signal ?? code}); starting another`);
        fork();
      } else {
        console.error(`Gateway worker ${child.process.pid} exited (${signal ?? code}) before it listened; stopping the others`);
        stopAll('SIGTERM');
      }
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
  });
  process.once('SIGTERM', () => stopAll('SIGTERM'));
  process.once('SIGINT', () => stopAll('SIGINT'));
  for (let i = 0; i < workers; i++) fork();
}
