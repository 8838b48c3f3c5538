import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SubgraphChildMessage, SubgraphParentMessage } from './subgraph-process';

export interface PublicSubgraphs {
  urls: Record<string, string>;
  pid: number;
  /** Requests each subgraph has received so far. */
  requests(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts the four public-benchmark subgraphs in a Node process of their own, pinned to `cpu` when taskset exists. */
export async function startPublicSubgraphs(cpu: number | null): Promise<PublicSubgraphs> {
  const args = ['--import', 'tsx', path.join(__dirname, 'subgraph-process.ts')];
  const [command, argv] = cpu !== null && existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', ['-c', String(cpu), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NODE_ENV: 'production' } });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code), resolve())));
  const next = <T extends SubgraphChildMessage['type']>(type: T) =>
    new Promise<Extract<SubgraphChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subgraph process sent no ${type}`)), 30_000);
      const onMessage = (message: SubgraphChildMessage) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as Extract<SubgraphChildMessage, { type: T }>);
      };
      child.on('message', onMessage);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`subgraph process exited with ${exitCode}`));
      });
    });
  const { urls } = await next('ready');
  return {
    urls,
    pid: child.pid!,
    async requests() {
      const reply = next('count');
      child.send({ type: 'count' } satisfies SubgraphParentMessage);
      return (await reply).requests;
    },
    async stop() {
      if (exitCode !== undefined) return;
      child.send({ type: 'stop' } satisfies SubgraphParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
