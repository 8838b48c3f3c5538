import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChildMessage, GatewayProcessConfig, ParentMessage } from './gateway-process';

export interface GatewayChild {
  kind: GatewayProcessConfig['kind'];
  url: string;
  pid: number;
  /** `gc`: collect garbage first (when the process runs with --expose-gc). */
  stats(gc?: boolean): Promise<Extract<ChildMessage, { type: 'stats' }>>;
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

/** `taskset -c <cpu>` when the machine has it, so each gateway gets one core's worth of CPU. */
function pinned(cpu: number | null, command: string, args: string[]): [string, string[]] {
  if (cpu === null || !existsSync('/usr/bin/taskset')) return [command, args];
  return ['/usr/bin/taskset', ['-c', String(cpu), command, ...args]];
}

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`gateway process sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage) => {
      if (message.type === 'failed') done(new Error(message.error));
      else if (message.type === type) done(null, message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => done(new Error(`gateway process exited with ${code} before ${type}`));
    function done(error: Error | null, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts one gateway in its own Node process (pinned to `cpu` when possible) and waits until it listens. */
export async function startGatewayProcess(
  config: GatewayProcessConfig,
  options: { cpu: number | null; profileDir?: string; nodeFlags: string[]; bundle?: string },
): Promise<GatewayChild> {
  // A bundle (gateway-process.ts built by scripts/bundle.mjs) runs on plain node, as production runs the gateway.
  const nodeArgs = options.bundle ? [...options.nodeFlags] : ['--import', 'tsx', ...options.nodeFlags];
  // One directory per gateway: tsx's loader thread writes a (small) profile of its own beside the main thread's.
  if (options.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, config.kind)}`);
  const [command, args] = pinned(options.cpu, process.execPath, [...nodeArgs, options.bundle ?? path.join(__dirname, 'gateway-process.ts')]);
  const child = spawn(command, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', APOLLO_TELEMETRY_DISABLED: 'true' },
  });
  const send = (message: ParentMessage) => child.send(message);
  // Generous: tsx compiles the gateway on start, and a loaded machine makes that slow.
  const ready = nextMessage(child, 'ready', 120_000);
  send({ type: 'start', config });
  const { url } = await ready.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kind: config.kind,
    url,
    pid: child.pid!,
    async stats(gc = false) {
      const reply = nextMessage(child, 'stats', 5_000);
      send({ type: 'stats', gc });
      return reply;
    },
    async stop() {
      if (child.exitCode !== null) return;
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
