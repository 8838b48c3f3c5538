import type { Channel, ChannelModel, Options } from 'amqplib';
import type { queueTopology } from './dead-letter';
import { errorField, type EventLogger } from './logger';

/**
 * `quorum`: replicated (Raft) and durable by design, the kind RabbitMQ
 * recommends for anything that must not be lost. `classic`: what queues were
 * before, for brokers older than 3.10 (no message TTL on quorum queues there)
 * or deployments not yet migrated.
 */
export type QueueType = 'quorum' | 'classic';

/** A queue to declare, with the arguments its type and role call for. */
export interface QueueDeclaration {
  name: string;
  options: Options.AssertQueue;
}

/**
 * How the broker moves a message it dead-letters out of a quorum queue:
 * at-least-once keeps it in the source queue until the target confirms it,
 * where the default (at-most-once) could drop it on the way. It requires
 * `x-overflow: reject-publish`, which without a length limit changes nothing.
 */
const safeDeadLettering = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };

/**
 * The queues behind one subscription, declared as `type` asks.
 *
 * Quorum main queues also get a delivery limit: a message the broker has
 * handed out `deliveryLimit` times without it being settled (its consumer
 * crashed or lost its channel each time, so the bus's own retry counting
 * never ran) goes to the dead-letter queue instead of looping forever.
 * Classic main queues keep no arguments at all, as before, so queues
 * declared by earlier versions stay compatible.
 */
export function topologyDeclarations(topology: ReturnType<typeof queueTopology>, type: QueueType, deliveryLimit: number): QueueDeclaration[] {
  const quorum = type === 'quorum';
  const typed = quorum ? { 'x-queue-type': 'quorum' } : {};
  const main: Options.AssertQueue = quorum
    ? { durable: true, arguments: { ...typed, ...safeDeadLettering, 'x-delivery-limit': deliveryLimit, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': topology.dead } }
    : { durable: true };
  return [
    { name: topology.main, options: main },
    { name: topology.dead, options: { durable: true, arguments: typed } },
    ...topology.retries.map((retry) => ({
      name: retry.name,
      options: {
        durable: true,
        messageTtl: retry.delayMs,
        deadLetterExchange: '',
        deadLetterRoutingKey: topology.main,
        arguments: quorum ? { ...typed, ...safeDeadLettering } : {},
      },
    })),
  ];
}

function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 406;
}

/**
 * Declares queues on a channel of its own: a declaration the broker refuses
 * closes the channel it was made on, which must not be a consumer's.
 *
 * A queue that already exists with other arguments (typically a classic
 * queue from before quorum queues were the default: the broker answers
 * PRECONDITION_FAILED, 406) is kept as it is and used, with a warning saying
 * how to migrate it. Failing instead would only make the service restart,
 * hit the same queue and fail again.
 */
export class QueueDeclarer {
  private channel: Promise<Channel> | null = null;

  constructor(
    private readonly connection: ChannelModel,
    private readonly logger: EventLogger,
  ) {}

  async declare({ name, options }: QueueDeclaration): Promise<void> {
    try {
      await (await this.open()).assertQueue(name, options);
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      // The broker closed the channel; the next use opens another.
      this.channel = null;
      // Passive: fails (and so does the subscription) only if the queue is not there at all.
      await (await this.open()).checkQueue(name);
      const wanted = options.arguments?.['x-queue-type'] === 'quorum' ? 'quorum' : 'classic';
      this.logger.warn(
        { queue: name, wanted, err: errorField(error) },
        `RabbitMQ queue ${name} exists with other arguments than a ${wanted} queue of this version takes; consuming it as it is. ` +
          `To convert it, stop its consumers, move or drain its messages, delete it (rabbitmqctl delete_queue ${name}) and restart; ` +
          `or set EVENTS_QUEUE_TYPE to the type it has.`,
      );
    }
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = null;
    await channel?.then((opened) => opened.close()).catch(() => undefined);
  }

  private open(): Promise<Channel> {
    this.channel ??= this.connection.createChannel().then((channel) => {
      // Refusals arrive as rejected declarations; without a listener they would also be thrown at the process.
      channel.on('error', () => undefined);
      return channel;
    });
    return this.channel;
  }
}
