import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SubscriberChildMessage, SubscriberParentMessage, SubscriberRange } from './subscriber-protocol';

/** Wall-clock time in ms with sub-millisecond precision: the subscriber processes stamp arrivals on the same clock. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

const root = path.resolve(__dirname, '../..');

export interface SubscriberClientsOptions {
  urls: string[];
  /** One access token per subscriber. */
  tokens: string[];
  query: string;
  /** The subscription's variables for subscriber i. */
  variablesOf: (subscriber: number) => Record<string, unknown>;
  /** Processes the subscribers are split over (contiguous ranges). */
  processes: number;
  /** Handshakes in flight at once, over all processes. */
  concurrency: number;
  /** `next` messages recorded per subscriber. */
  capacity: number;
  /** `taskset -c` list for the subscriber processes, or null to leave them to the scheduler. */
  cpus: string | null;
  /** See SubscriberRange. */
  awaitCurrent: boolean;
}

/** Every `next` message every subscriber received: when, and which distinct text it was. */
export interface Receipts {
  /** The distinct message texts, over all processes. */
  texts: string[];
  /** Calls `visit` for each receipt, subscriber by subscriber, in arrival order. */
  forEach(visit: (subscriber: number, at: number, text: number) => void): void;
  overflow: number;
  failures: number;
  /** CPU the subscriber processes used since they started. */
  cpuMicros: number;
}

interface Child {
  process: ChildProcess;
  from: number;
  size: number;
  request<T extends SubscriberChildMessage['type']>(message: SubscriberParentMessage, reply: T): Promise<Extract<SubscriberChildMessage, { type: T }>>;
}

function startChild(cpus: string | null, from: number, size: number): Child {
  const args = ['--import', 'tsx', path.join(__dirname, 'subscriber-process.ts')];
  const pinned = cpus !== null && existsSync('/usr/bin/taskset');
  const child = spawn(pinned ? '/usr/bin/taskset' : process.execPath, pinned ? ['-c', cpus, process.execPath, ...args] : args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Typed arrays cross as they are, not as JSON.
    serialization: 'advanced',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return {
    process: child,
    from,
    size,
    request(message, reply) {
      return new Promise((resolve, reject) => {
        const onMessage = (received: SubscriberChildMessage) => {
          if (received.type === 'failed') done(new Error(received.error));
          else if (received.type === reply) done(null, received as Extract<SubscriberChildMessage, { type: typeof reply }>);
        };
        const onExit = (code: number | null) => done(new Error(`subscriber process exited with ${code} before ${reply}`));
        function done(error: Error | null, received?: Extract<SubscriberChildMessage, { type: typeof reply }>) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve(received!);
        }
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(message);
      });
    },
  };
}

/**
 * Subscribers spread over `processes` Node processes of their own
 * (lib/subscriber-process.ts), so that reading thousands of sockets does not
 * share an event loop with the publisher, and their CPU is counted apart.
 */
export class SubscriberClients {
  private constructor(
    private readonly children: Child[],
    readonly size: number,
  ) {}

  /** Opens every subscriber (each acknowledged and its subscribe sent); throws, closing them all, when one fails. */
  static async open(options: SubscriberClientsOptions): Promise<SubscriberClients> {
    const { tokens, processes } = options;
    const perProcess = Math.ceil(tokens.length / processes);
    const children: Child[] = [];
    for (let from = 0; from < tokens.length; from += perProcess) children.push(startChild(options.cpus, from, Math.min(perProcess, tokens.length - from)));
    const clients = new SubscriberClients(children, tokens.length);
    try {
      await Promise.all(
        children.map((child) => {
          const range: SubscriberRange = {
            urls: options.urls,
            from: child.from,
            tokens: tokens.slice(child.from, child.from + child.size),
            query: options.query,
            variables: Array.from({ length: child.size }, (_, local) => options.variablesOf(child.from + local)),
            concurrency: Math.max(1, Math.floor(options.concurrency / children.length)),
            capacity: options.capacity,
            awaitCurrent: options.awaitCurrent,
          };
          return child.request({ type: 'open', range }, 'opened');
        }),
      );
    } catch (error) {
      await clients.stop();
      throw error;
    }
    return clients;
  }

  /** `next` messages received so far, failures, and the processes' CPU since they started. */
  async progress(): Promise<{ delivered: number; failures: number; firstFailure: string | null; cpuMicros: number }> {
    const all = await Promise.all(this.children.map((child) => child.request({ type: 'progress' }, 'progress')));
    const sum = (pick: (p: (typeof all)[number]) => number) => all.reduce((total, p) => total + pick(p), 0);
    return { delivered: sum((p) => p.delivered), failures: sum((p) => p.failures), firstFailure: all.find((p) => p.firstFailure)?.firstFailure ?? null, cpuMicros: sum((p) => p.cpuMicros) };
  }

  async receipts(): Promise<Receipts> {
    const all = await Promise.all(this.children.map((child) => child.request({ type: 'collect' }, 'collected')));
    const offsets = all.map((_, i) => all.slice(0, i).reduce((sum, c) => sum + c.texts.length, 0));
    return {
      texts: all.flatMap((c) => c.texts),
      forEach: (visit) => {
        all.forEach((c, i) => {
          const { from } = this.children[i]!;
          for (let local = 0; local < c.counts.length; local++) {
            for (let k = 0; k < c.counts[local]!; k++) visit(from + local, c.times[local * c.capacity + k]!, offsets[i]! + c.textIds[local * c.capacity + k]!);
          }
        });
      },
      overflow: all.reduce((sum, c) => sum + c.overflow, 0),
      failures: all.reduce((sum, c) => sum + c.failures, 0),
      cpuMicros: all.reduce((sum, c) => sum + c.cpuMicros, 0),
    };
  }

  /** Closes every socket, then ends the processes. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.process.exitCode !== null || child.process.signalCode !== null) return;
        await child.request({ type: 'close' }, 'closed').catch(() => undefined);
        const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
        child.process.kill('SIGTERM');
        await exited;
      }),
    );
  }
}
