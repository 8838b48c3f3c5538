import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type Channel } from 'amqplib';
import { queueTopology } from '../src';

export const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Runs `work` on a channel of a connection of its own, once more if the
 * connection is cut under it: the reconnection tests close every connection
 * on the broker, and admin work here is idempotent.
 */
export async function withChannel<T>(work: (channel: Channel) => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const connection = await connect(amqpUrl);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      return await work(channel);
    } catch (error) {
      if (attempt >= tries || !/closed|CONNECTION_FORCED/i.test(String(error))) throw error;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
}

/** Publishes raw bodies, confirmed, as a foreign or broken producer would. */
export async function publishRaw(exchange: string, routingKey: string, messages: { body: string; messageId?: string }[]): Promise<void> {
  const connection = await connect(amqpUrl);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    for (const { body, messageId } of messages) channel.publish(exchange, routingKey, Buffer.from(body), messageId ? { messageId } : {});
    await channel.waitForConfirms();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Deletes the queues behind each subscription queue (main, dead, retries) and the namespace's exchange when asked. */
export async function deleteTopology(namespace: string, queues: string[], retryDelaysMs: number[], exchange = false): Promise<void> {
  await withChannel(async (channel) => {
    for (const queue of queues) {
      const topology = queueTopology(namespace, queue, retryDelaysMs);
      for (const name of [topology.main, topology.dead, ...topology.retries.map((retry) => retry.name)]) await channel.deleteQueue(name);
    }
    if (exchange) await channel.deleteExchange(`${namespace}.events`);
  });
}

/**
 * Closes the client connections of one namespace (the bus names each connection after it), as an
 * operator or a network failure would. Only this namespace's: test files run side by side, and
 * cutting every connection on the broker would fail whichever other test had one open.
 */
export async function closeConnections(namespace: string): Promise<void> {
  const run = promisify(execFile);
  const { stdout } = await run('rabbitmqctl', ['list_connections', '--quiet', '--no-table-headers', 'pid', 'client_properties'], { timeout: 10_000 });
  const ours = stdout.split('\n').filter((line) => line.includes(`"${namespace}"`));
  for (const line of ours) {
    await run('rabbitmqctl', ['close_connection', line.split('\t')[0]!.trim(), 'reconnect test'], { timeout: 10_000 });
  }
}

/** Runs a rabbitmqctl command, for what only an operator can do (vhosts, permissions). */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', args, { timeout: 20_000 });
  return stdout;
}

/** The type (`quorum`, `classic`) of each queue of the namespace, by name, as the broker reports it. */
export async function queueTypes(namespace: string, vhost = '/'): Promise<Record<string, string>> {
  const stdout = await rabbitmqctl('list_queues', '-p', vhost, '--quiet', '--no-table-headers', 'name', 'type');
  const rows = stdout.split('\n').map((line) => line.trim().split('\t'));
  return Object.fromEntries(rows.filter(([name, type]) => type && name!.startsWith(`${namespace}.`)).map(([name, type]) => [name!, type!]));
}
