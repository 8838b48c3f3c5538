import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from 'amqplib';
import { spawnOwned, type OwnedProcess } from './owned-processes';
import { pollUntil } from './ports';

/** The server script itself: /usr/sbin/rabbitmq-server would switch to the rabbitmq user, which cannot write our temp dir. */
const ctlScript = ['/usr/lib/rabbitmq/bin/rabbitmqctl', '/usr/sbin/rabbitmqctl'].find((candidate) => existsSync(candidate)) ?? 'rabbitmqctl';
const serverScript = ['/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/sbin/rabbitmq-server'].find((candidate) => existsSync(candidate)) ?? 'rabbitmq-server';

/** True once the node accepts an AMQP connection with the default user. */
export async function amqpAnswers(url: string): Promise<boolean> {
  const connection = await connect(url, { timeout: 2_000 }).catch(() => null);
  if (!connection) return false;
  connection.on('error', () => undefined);
  await connection.close().catch(() => undefined);
  return true;
}

/**
 * A RabbitMQ node of the chaos run's own beside the shared one (epmd is
 * shared, nothing else): its own node name, AMQP and distribution ports,
 * database, logs, config, an empty plugins file and an Erlang cookie in its
 * temp dir. A restart keeps its database, so durable queues and persistent
 * messages survive it as they would a real broker restart.
 */
export class RabbitMqNode {
  private process: OwnedProcess | null = null;
  readonly nodeName = `chaos-${process.pid}@localhost`;

  constructor(
    readonly port: number,
    private readonly distPort: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    await mkdir(path.join(this.dir, 'log'), { recursive: true });
    const configFile = path.join(this.dir, 'rabbitmq.conf');
    const pluginsFile = path.join(this.dir, 'enabled_plugins');
    // A loaded CI disk must not raise the free-disk alarm, which blocks every publisher.
    await writeFile(configFile, 'disk_free_limit.absolute = 1MB\nvm_memory_high_watermark.relative = 0.8\n');
    await writeFile(pluginsFile, '[].\n');
    this.process = spawnOwned(serverScript, [], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        HOME: this.dir,
        RABBITMQ_NODENAME: this.nodeName,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(this.port),
        RABBITMQ_DIST_PORT: String(this.distPort),
        RABBITMQ_MNESIA_BASE: path.join(this.dir, 'mnesia'),
        RABBITMQ_LOG_BASE: path.join(this.dir, 'log'),
        RABBITMQ_CONFIG_FILE: configFile,
        RABBITMQ_ENABLED_PLUGINS_FILE: pluginsFile,
        RABBITMQ_PID_FILE: path.join(this.dir, 'rabbitmq.pid'),
      },
    });
    let stderr = '';
    this.process.child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    const exited = this.process.exited.then(() => false);
    const up = await Promise.race([pollUntil(() => amqpAnswers(this.url), timeoutMs, 250), exited]);
    if (!up) throw new Error(`RabbitMQ node ${this.nodeName} on port ${this.port} did not start within ${timeoutMs / 1000} s: ${stderr || 'no output'} (logs in ${this.dir}/log)`);
  }

  /** A clean stop (SIGTERM: the node closes its connections and flushes its queues), then the same node again. */
  async restart(onDown?: () => void): Promise<void> {
    await this.process?.stop('SIGTERM', 30_000);
    onDown?.();
    await this.start();
  }

  /** `rabbitmqctl list_<what>` on this node (the CLI finds the node's cookie in the same HOME), as JSON rows. */
  async list<T>(what: 'queues' | 'bindings', columns: string[]): Promise<T[]> {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(ctlScript, ['-n', this.nodeName, '-q', `list_${what}`, ...columns, '--formatter', 'json'], { env: { ...process.env, HOME: this.dir }, timeout: 60_000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    return JSON.parse(stdout) as T[];
  }

  async stop(): Promise<void> {
    await this.process?.stop('SIGTERM', 20_000);
    this.process = null;
  }
}
