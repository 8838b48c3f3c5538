import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port, for a server that must be restarted on the same one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface OwnRedisServerOptions {
  /** A config file, for modes that need one to write to (Sentinel). */
  configFile?: string;
  /** More arguments, e.g. `--sentinel` or `--cluster-enabled yes`. */
  args?: string[];
  /** The log line that says it is ready. Default: the server's "Ready to accept connections". */
  readyLine?: string;
}

/**
 * A redis-server of the test's own on a spare port, which the test may kill -9
 * and start again: the shared Redis on 6379 is never touched.
 */
export class OwnRedisServer {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly options: OwnRedisServerOptions,
  ) {}

  static async start(options: OwnRedisServerOptions = {}): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort(), options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again) on its port, without persistence, and waits until it accepts connections. */
  async restart(): Promise<void> {
    const { configFile, args = [], readyLine = 'Ready to accept connections' } = this.options;
    const argv = [...(configFile ? [configFile] : []), '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args];
    const child = spawn('redis-server', argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(readyLine)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
    });
    child.stdout!.resume();
  }

  /** kill -9: no goodbye to its clients. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}
