import { createConnection } from 'node:net';
import { spawnOwned, type OwnedProcess } from './owned-processes';
import { pollUntil } from './ports';

/** PING over a raw socket: true when Redis answers PONG. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A redis-server of the chaos run's own, on a spare port, nothing kept on disk. */
export class RedisNode {
  private process: OwnedProcess | null = null;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawnOwned('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      stdio: 'ignore',
    });
    if (!(await pollUntil(() => redisAnswers(this.port), 30_000, 100))) throw new Error(`redis-server on port ${this.port} did not answer within 30 s`);
  }

  /** SIGKILL, as a crash: every connection drops at once; then a fresh, empty server on the same port. Returns when it answers. */
  async restart(onDown?: () => void): Promise<void> {
    await this.process?.stop('SIGKILL', 5_000);
    onDown?.();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.process?.stop('SIGKILL', 5_000);
    this.process = null;
  }
}
