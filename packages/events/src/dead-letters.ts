import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { copyOptions } from './amqp-copy';
import { deadLetterHeaders, queueTopology, type DeadLetter } from './dead-letter';

export interface DeadLetterQueueOptions {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /** As the bus's `namespace`. Default `commerce`. */
  namespace?: string;
}

function header(message: GetMessage, name: string): unknown {
  return message.properties.headers?.[name];
}

/**
 * The broker's own record of dead-lettering a message, which it does itself
 * only when a quorum queue's delivery limit is reached: the bus never got to
 * add its headers then.
 */
function brokerDeath(message: GetMessage): { reason: string; routingKey: string | null; at: string | null } | null {
  const deaths = header(message, 'x-death');
  const first: unknown = Array.isArray(deaths) ? deaths[0] : undefined;
  if (!first || typeof first !== 'object') return null;
  const { reason, time, 'routing-keys': keys } = first as { reason?: unknown; time?: unknown; 'routing-keys'?: unknown };
  const routingKey: unknown = Array.isArray(keys) ? keys[0] : undefined;
  // amqplib hands AMQP timestamps (seconds) over tagged: { '!': 'timestamp', value }.
  const seconds: unknown = time && typeof time === 'object' ? (time as { value?: unknown }).value : time;
  return {
    reason: typeof reason === 'string' ? reason : 'unknown',
    routingKey: typeof routingKey === 'string' ? routingKey : null,
    at: typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null,
  };
}

function describe(queue: string, message: GetMessage): DeadLetter {
  const body = message.content.toString('utf8');
  let envelope: { id?: unknown; type?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') envelope = parsed;
  } catch {
    // Not JSON: the message properties are all there is to go on.
  }
  const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
  const attempts = header(message, deadLetterHeaders.attempts);
  const death = brokerDeath(message);
  return {
    queue,
    eventId: text(envelope.id) ?? text(message.properties.messageId),
    type: text(envelope.type) ?? text(message.properties.type),
    attempts: typeof attempts === 'number' ? attempts : 0,
    error: text(header(message, deadLetterHeaders.error)) ?? (death ? `dead-lettered by RabbitMQ: ${death.reason}` : ''),
    routingKey: text(header(message, deadLetterHeaders.routingKey)) ?? death?.routingKey ?? message.fields.routingKey,
    deadLetteredAt: text(header(message, deadLetterHeaders.deadLetteredAt)) ?? death?.at ?? '',
    body,
  };
}

async function withConnection<T>(url: string, work: (connection: ChannelModel) => Promise<T>): Promise<T> {
  const connection = await connect(url);
  connection.on('error', () => undefined);
  try {
    return await work(connection);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Messages in `queue` now; null when it does not exist (checkQueue closes the channel then, so it gets its own). */
async function messageCount(connection: ChannelModel, queue: string): Promise<number | null> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } catch {
    return null;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/**
 * Takes up to `count` messages from `queue` without acknowledging them, so
 * closing `channel` puts every one it did not acknowledge back in place.
 */
async function browse(channel: Channel, queue: string, count: number): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  while (messages.length < count) {
    const message = await channel.get(queue, { noAck: false });
    if (message === false) break;
    messages.push(message);
  }
  return messages;
}

/**
 * The dead letters of the given consumer queues (unqualified names, e.g.
 * `payments.saga`), oldest first per queue, left in place: they are fetched
 * unacknowledged and handed back when the channel closes. A queue that does
 * not exist has none.
 */
export async function listDeadLetters(options: DeadLetterQueueOptions & { queues: string[] }): Promise<DeadLetter[]> {
  const namespace = options.namespace ?? 'commerce';
  return withConnection(options.url, async (connection) => {
    const letters: DeadLetter[] = [];
    for (const queue of options.queues) {
      const { dead } = queueTopology(namespace, queue, []);
      const count = await messageCount(connection, dead);
      if (!count) continue;
      const channel = await connection.createChannel();
      try {
        for (const message of await browse(channel, dead, count)) letters.push(describe(queue, message));
      } finally {
        await channel.close().catch(() => undefined);
      }
    }
    return letters;
  });
}

/**
 * Moves dead letters of `queue` (all, or only event `id`) back to its main
 * queue with their attempt count reset, each acknowledged in the dead-letter
 * queue only once the broker confirmed its copy. Returns what was replayed.
 *
 * @throws when the main queue does not exist: the broker would silently drop
 *   a message sent to it.
 */
export async function replayDeadLetters(options: DeadLetterQueueOptions & { queue: string; id?: string }): Promise<DeadLetter[]> {
  const { main, dead } = queueTopology(options.namespace ?? 'commerce', options.queue, []);
  return withConnection(options.url, async (connection) => {
    if ((await messageCount(connection, main)) === null) throw new Error(`Queue ${main} does not exist`);
    const count = await messageCount(connection, dead);
    if (!count) return [];
    const channel = await connection.createConfirmChannel();
    const replayed: DeadLetter[] = [];
    try {
      for (const message of await browse(channel, dead, count)) {
        const letter = describe(options.queue, message);
        if (options.id !== undefined && letter.eventId !== options.id) continue;
        // The original routing key stays; the failure history goes, so the event gets every attempt again.
        const dropped: string[] = [deadLetterHeaders.attempts, deadLetterHeaders.error, deadLetterHeaders.deadLetteredAt];
        const headers = Object.fromEntries(Object.entries(message.properties.headers ?? {}).filter(([name]) => !dropped.includes(name)));
        await new Promise<void>((resolve, reject) =>
          channel.sendToQueue(main, message.content, copyOptions(message.properties, headers), (error) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
          ),
        );
        channel.ack(message);
        replayed.push(letter);
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
    return replayed;
  });
}
