import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { DriverMessage, PrimaryMessage, ReplicaSpec } from './cluster-primary';
import { spawnOwned, type OwnedProcess } from './owned-processes';
import { pollUntil } from './ports';

export interface Kill {
  service: string;
  replica: number;
  pid: number;
  /** ms since the epoch */
  killedAt: number;
  /** When the replacement listened; null if it never did. */
  readyAt: number | null;
  newPid: number | null;
}

/**
 * The driver's side of cluster-primary.ts: starts the primary in a process
 * group of its own, knows every replica's current pid from its messages,
 * SIGKILLs one on demand and times the replacement.
 */
export class ReplicaSet {
  private primary: OwnedProcess | null = null;
  private readonly current = new Map<string, { pid: number; up: boolean }>();
  private readonly waiting: { key: string; after: number; resolve: (message: Extract<PrimaryMessage, { type: 'up' }>) => void }[] = [];
  /** Workers that exited without being killed by us: a crash the run did not cause is reported. */
  readonly unexpectedExits: Extract<PrimaryMessage, { type: 'exit' }>[] = [];
  private readonly killedPids = new Set<number>();
  private stopping = false;

  constructor(
    private readonly specs: ReplicaSpec[],
    readonly logFile: string,
  ) {}

  async start(timeoutMs: number): Promise<void> {
    const log = openSync(this.logFile, 'a');
    try {
      this.primary = spawnOwned(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cluster-primary.ts')], {
        cwd: path.resolve(__dirname, '../../..'),
        stdio: ['ignore', log, log, 'ipc'],
        env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
      });
    } finally {
      closeSync(log);
    }
    this.primary.child.on('message', (message: PrimaryMessage) => this.onMessage(message));
    this.primary.child.send({ type: 'start', specs: this.specs } satisfies DriverMessage);
    if (!(await this.waitAllUp(timeoutMs))) throw new Error(`not every replica listened within ${timeoutMs / 1000} s: ${this.describe()} (log: ${this.logFile})`);
  }

  private onMessage(message: PrimaryMessage): void {
    if (message.type === 'up') {
      const key = `${message.service}#${message.replica}`;
      this.current.set(key, { pid: message.pid, up: true });
      for (const waiter of this.waiting.filter((w) => w.key === key && message.at >= w.after)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    } else if (message.type === 'exit') {
      const key = `${message.service}#${message.replica}`;
      if (this.current.get(key)?.pid === message.pid) this.current.set(key, { pid: message.pid, up: false });
      // Before listening, a replica may exit because a broker is down at start-up (the primary tries again); that is expected while one restarts.
      if (!this.stopping && !this.killedPids.has(message.pid) && message.listened) this.unexpectedExits.push(message);
    }
  }

  replicasOf(service: string): number {
    return this.specs.find((spec) => spec.service === service)?.replicas ?? 0;
  }

  pidOf(service: string, replica: number): number | null {
    const state = this.current.get(`${service}#${replica}`);
    return state?.up ? state.pid : null;
  }

  /** SIGKILLs the replica's current process; resolves with the kill once its replacement listens (or `timeoutMs` passed). */
  async kill(service: string, replica: number, timeoutMs: number): Promise<Kill> {
    // One still being forked again (it died at start-up while a broker was down) is waited for.
    await pollUntil(async () => this.pidOf(service, replica) !== null, timeoutMs, 100);
    const pid = this.pidOf(service, replica);
    if (pid === null) throw new Error(`${service} replica ${replica} was not up within ${timeoutMs / 1000} s of its kill's moment`);
    const killedAt = Date.now();
    const replaced = new Promise<Extract<PrimaryMessage, { type: 'up' }>>((resolve) => this.waiting.push({ key: `${service}#${replica}`, after: killedAt, resolve }));
    this.killedPids.add(pid);
    process.kill(pid, 'SIGKILL');
    const up = await Promise.race([replaced, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref())]);
    return { service, replica, pid, killedAt, readyAt: up?.at ?? null, newPid: up?.pid ?? null };
  }

  waitAllUp(timeoutMs: number): Promise<boolean> {
    return pollUntil(async () => this.specs.every((spec) => Array.from({ length: spec.replicas }, (_, i) => this.pidOf(spec.service, i + 1)).every((pid) => pid !== null)), timeoutMs, 100);
  }

  describe(): string {
    return this.specs.map((spec) => `${spec.service}: ${Array.from({ length: spec.replicas }, (_, i) => this.pidOf(spec.service, i + 1) ?? 'down').join(', ')}`).join('; ');
  }

  async stop(): Promise<void> {
    if (!this.primary) return;
    this.stopping = true;
    this.primary.child.send({ type: 'stop' } satisfies DriverMessage, () => undefined);
    await this.primary.stop(null, 30_000);
    this.primary = null;
  }
}
