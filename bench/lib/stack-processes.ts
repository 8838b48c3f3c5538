/**
 * The stack as a deployment runs it: each subgraph and the gateway in a Node
 * process of its own (their index.ts, as `npm run start:replicas` forks them),
 * so the services and the benchmark's load generator spread over every core
 * instead of sharing one event loop. Each process migrates its own schema,
 * opens its own pool and AMQP connection and runs its own outbox relay.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { subgraphModules, supergraphPath } from '../../scripts/stack';

const root = path.resolve(__dirname, '../..');

export interface StackProcesses {
  gatewayUrl: string;
  /** CPU seconds used so far by all the stack's processes together. */
  cpuSeconds(): number;
  /** Peak resident memory of all the stack's processes together, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/** A port nothing listens on now (the OS's pick), for a child to bind. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on `port`: the service listens only when fully started. */
async function listening(service: Service, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited with ${service.child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.destroy());
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${service.name} did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Bundles each service (what `npm run build` does for it), so the processes
 * start without compiling TypeScript and with less memory. Built afresh on
 * every run: a stale dist/ would measure yesterday's code.
 */
async function bundle(workspaces: string[]): Promise<void> {
  const script = path.join(root, 'scripts/bundle.mjs');
  await Promise.all(workspaces.map((workspace) => promisify(execFile)(process.execPath, [script], { cwd: path.join(root, workspace) })));
}

function entryOf(workspace: string, bundled: boolean): string[] {
  if (bundled) return ['--enable-source-maps', path.join(root, workspace, 'dist/index.js')];
  return ['--import', 'tsx', path.join(root, workspace, 'src/index.ts')];
}

/** utime + stime of a live process, from /proc (clock ticks of 10 ms on Linux). */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function peakRssKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export async function startStackProcesses(
  env: Record<string, string>,
  options: { bundled: boolean; profileDir?: string },
): Promise<StackProcesses> {
  const services: Service[] = [];
  // CPU and memory of a process are read while it lives: stop() keeps the last reading.
  const last = new Map<number, { ticks: number; rssKb: number }>();
  const read = (service: Service) => {
    const pid = service.child.pid!;
    if (service.child.exitCode === null) last.set(pid, { ticks: cpuTicks(pid), rssKb: peakRssKb(pid) });
    return last.get(pid) ?? { ticks: 0, rssKb: 0 };
  };
  const start = (name: string, workspace: string, args: string[], port: number, extra: Record<string, string> = {}): Service => {
    const flags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, name)}`] : [];
    const child = spawn(process.execPath, [...flags, ...entryOf(workspace, options.bundled), ...args], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      // Not production: the services then demand real secrets, where the bench relies on the development defaults.
      env: { ...process.env, ...env, ...extra, PORT: String(port), NODE_ENV: 'development', APOLLO_TELEMETRY_DISABLED: 'true' },
    });
    const service = { name, child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
    services.push(service);
    return service;
  };
  const stop = async () => {
    for (const service of services) read(service);
    // The gateway first, then the subgraphs (each drains its outbox on SIGTERM).
    for (const group of [services.filter((s) => s.name === 'gateway'), services.filter((s) => s.name !== 'gateway')]) {
      await Promise.all(
        group.map(async (service) => {
          if (service.child.exitCode !== null) return;
          const timer = setTimeout(() => service.child.kill('SIGKILL'), 20_000);
          service.child.kill('SIGTERM');
          await service.exited;
          clearTimeout(timer);
        }),
      );
    }
  };
  if (options.bundled) await bundle([...subgraphModules.map((module) => `subgraphs/${module.name}`), 'gateway']);
  try {
    // The subgraphs start side by side: each migrates only its own schema.
    const routes: Record<string, string> = {};
    await Promise.all(
      subgraphModules.map(async (module) => {
        const port = await freePort();
        const service = start(module.name, `subgraphs/${module.name}`, [], port);
        await listening(service, port, 180_000);
        routes[`SUBGRAPH_${module.name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
      }),
    );
    const port = await freePort();
    const gateway = start('gateway', 'gateway', ['--supergraph', supergraphPath], port, { ...routes, GATEWAY_WORKERS: '1' });
    await listening(gateway, port, 180_000);
    return {
      gatewayUrl: `http://127.0.0.1:${port}/graphql`,
      cpuSeconds: () => services.reduce((sum, s) => sum + read(s).ticks, 0) / 100,
      peakRssMb: () => Math.round(services.reduce((sum, s) => sum + read(s).rssKb, 0) / 1024),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
