/**
 * The chaos run's services: a Node cluster primary (started by replicas.ts
 * over IPC) that forks every replica as a worker process. Replicas of one
 * subgraph listen on one port, which the primary shares between them (as
 * scripts/start-replicas.ts does); each gateway has a port of its own, so
 * subscribers can be spread over both. A worker that exits, however, is forked
 * again at once, as an orchestrator restarts a pod: the chaos driver SIGKILLs
 * worker pids and measures how long until the replacement listens.
 */
import cluster, { type Worker } from 'node:cluster';

export interface ReplicaSpec {
  /** `orders`, `gateway-1`, ... */
  service: string;
  entry: string;
  /** Node flags: tsx's loader for TypeScript sources, none for a bundle. */
  execArgv: string[];
  args: string[];
  replicas: number;
  env: Record<string, string>;
}

export type PrimaryMessage =
  | { type: 'up'; service: string; replica: number; pid: number; at: number }
  | { type: 'exit'; service: string; replica: number; pid: number; code: number | null; signal: string | null; listened: boolean; at: number }
  | { type: 'stopped' };

export type DriverMessage = { type: 'start'; specs: ReplicaSpec[] } | { type: 'stop' };

const send = (message: PrimaryMessage) => process.send?.(message);
let stopping = false;
/** Each live worker and the service it serves. */
const workers = new Map<Worker, string>();

function fork(spec: ReplicaSpec, replica: number): void {
  cluster.setupPrimary({ exec: spec.entry, args: spec.args, execArgv: spec.execArgv });
  const worker = cluster.fork({ ...spec.env, REPLICA: `${spec.service}-${replica}` });
  const pid = worker.process.pid!;
  workers.set(worker, spec.service);
  let listened = false;
  worker.once('listening', () => {
    listened = true;
    send({ type: 'up', service: spec.service, replica, pid, at: Date.now() });
  });
  worker.once('exit', (code, signal) => {
    workers.delete(worker);
    send({ type: 'exit', service: spec.service, replica, pid, code, signal, listened, at: Date.now() });
    if (stopping) return;
    // One that died before listening (its broker was down at start-up) waits a little before the next try.
    setTimeout(() => fork(spec, replica), listened ? 0 : 1_000);
  });
}

async function stopAll(): Promise<void> {
  stopping = true;
  // The gateways first (they close their sockets with the reconnect code), then the subgraphs.
  const all = [...workers.keys()];
  for (const group of [all.filter(isGateway), all.filter((worker) => !isGateway(worker))]) {
    await Promise.all(
      group.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), 10_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }
  send({ type: 'stopped' });
  process.exit(0);
}

const isGateway = (worker: Worker) => workers.get(worker)?.startsWith('gateway') ?? false;

process.on('message', (message: DriverMessage) => {
  if (message.type === 'start') {
    for (const spec of message.specs) {
      for (let replica = 1; replica <= spec.replicas; replica++) fork(spec, replica);
    }
  } else {
    void stopAll();
  }
});
// The driver died: take every worker down with this process.
process.on('disconnect', () => {
  for (const worker of workers.keys()) worker.process.kill('SIGKILL');
  process.exit(1);
});
process.on('SIGTERM', () => void stopAll());
