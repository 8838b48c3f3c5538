import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { sleep } from './ports';

/**
 * Every process the chaos run starts is spawned here, each as the leader of
 * its own process group, so that stopping one takes whatever it forked with
 * it (RabbitMQ's shell wrapper and beam, the cluster primary and its workers),
 * and so that whatever is still alive when this process exits, however it
 * exits, is killed by group id, never by name.
 */
const groups = new Set<number>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const pgid of groups) killGroup(pgid, 'SIGKILL');
});

export interface OwnedProcess {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  /** Signals the whole group (null: asked to stop another way), waits up to `graceMs` for the leader to exit, then SIGKILLs the group. */
  stop(signal?: NodeJS.Signals | null, graceMs?: number): Promise<void>;
}

export function spawnOwned(command: string, args: string[], options: SpawnOptions): OwnedProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  groups.add(pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  return {
    child,
    pid,
    exited,
    async stop(signal: NodeJS.Signals | null = 'SIGTERM', graceMs = 15_000) {
      if (signal) killGroup(pid, signal);
      if (alive) await Promise.race([exited, sleep(graceMs)]);
      // Children of the leader may outlive it (beam's helpers): the group goes in any case.
      killGroup(pid, 'SIGKILL');
      groups.delete(pid);
    },
  };
}
