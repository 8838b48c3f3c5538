import { connect } from 'amqplib';
import type { RabbitMqNode } from './rabbitmq-node';
import type { RedisNode } from './redis-node';
import type { Kill, ReplicaSet } from './replicas';
import { pollUntil, sleep } from './ports';
import type { Rng } from './rng';
import { gatewayNames, subgraphNames } from './services';

export type Fault = { kind: 'kill'; service: string; replica: number; atMs: number } | { kind: 'rabbitmq' | 'redis'; atMs: number };

export interface BrokerRestart {
  kind: 'rabbitmq' | 'redis';
  /** When the stop (RabbitMQ: SIGTERM, Redis: SIGKILL) was sent. */
  stoppedAt: number;
  /** When it was gone (its process exited). */
  downAt: number | null;
  /** When it answered again (AMQP connection / PING). */
  upAt: number | null;
  /** RabbitMQ: a message published and consumed again through the new node; Redis: the first live message a subscriber received after `upAt`. */
  firstDeliveryAt: number | null;
}

export interface FaultLog {
  kills: Kill[];
  restarts: BrokerRestart[];
  errors: string[];
}

/**
 * The faults of one run, at seeded random moments of the load window (between
 * 15 % and 80 % of it, so that each one meets load and has time to recover
 * before the load ends): one replica of every subgraph and one gateway
 * SIGKILLed (the cluster primary forks a replacement), RabbitMQ restarted once,
 * Redis restarted once.
 */
export function planFaults(rng: Rng, durationMs: number): Fault[] {
  const at = () => Math.round(durationMs * (0.15 + 0.65 * rng.next()));
  const faults: Fault[] = [
    ...subgraphNames.map((service) => ({ kind: 'kill' as const, service, replica: rng.int(1, 2), atMs: at() })),
    { kind: 'kill', service: rng.pick(gatewayNames), replica: 1, atMs: at() },
    { kind: 'rabbitmq', atMs: at() },
    { kind: 'redis', atMs: at() },
  ];
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/** Publishes one message through the node and reads it back; true on success. */
async function roundTrip(url: string): Promise<boolean> {
  const connection = await connect(url, { timeout: 2_000 });
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await new Promise<void>((resolve, reject) => channel.sendToQueue(queue, Buffer.from('probe'), {}, (error) => (error ? reject(error) : resolve())));
    return await pollUntil(async () => (await channel.get(queue, { noAck: true })) !== false, 5_000, 50);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface FaultTargets {
  replicas: ReplicaSet;
  rabbit: RabbitMqNode;
  redis: RedisNode;
  /** Receive times of live messages at the subscribers, for Redis's first delivery after its restart. */
  firstLiveMessageAfter(at: number, timeoutMs: number): Promise<number | null>;
  recoveryTimeoutMs: number;
}

/** Runs each fault at its moment (from `startedAt`); resolves when every one has run and recovered, or timed out. */
export async function runFaults(faults: Fault[], startedAt: number, targets: FaultTargets, log: (line: string) => void): Promise<FaultLog> {
  const result: FaultLog = { kills: [], restarts: [], errors: [] };
  const stamp = (at: number) => `+${((at - startedAt) / 1000).toFixed(1)}s`;
  await Promise.all(
    faults.map(async (fault) => {
      await sleep(Math.max(0, startedAt + fault.atMs - Date.now()));
      try {
        if (fault.kind === 'kill') {
          const kill = await targets.replicas.kill(fault.service, fault.replica, targets.recoveryTimeoutMs);
          result.kills.push(kill);
          log(`${stamp(kill.killedAt)} SIGKILL ${fault.service} replica ${fault.replica} (pid ${kill.pid}); ${kill.readyAt ? `replacement pid ${kill.newPid} listening after ${((kill.readyAt - kill.killedAt) / 1000).toFixed(1)} s` : 'NO replacement listening'}`);
        } else if (fault.kind === 'rabbitmq') {
          const restart: BrokerRestart = { kind: 'rabbitmq', stoppedAt: Date.now(), downAt: null, upAt: null, firstDeliveryAt: null };
          result.restarts.push(restart);
          await targets.rabbit.restart(() => (restart.downAt = Date.now()));
          restart.upAt = Date.now();
          if (await pollUntil(() => roundTrip(targets.rabbit.url), targets.recoveryTimeoutMs, 100)) restart.firstDeliveryAt = Date.now();
          log(`${stamp(restart.stoppedAt)} RabbitMQ restarted: down after ${secs(restart.downAt, restart.stoppedAt)}, accepting connections after ${secs(restart.upAt, restart.stoppedAt)}, first publish+consume after ${secs(restart.firstDeliveryAt, restart.stoppedAt)}`);
        } else {
          const restart: BrokerRestart = { kind: 'redis', stoppedAt: Date.now(), downAt: null, upAt: null, firstDeliveryAt: null };
          result.restarts.push(restart);
          await targets.redis.restart(() => (restart.downAt = Date.now()));
          restart.upAt = Date.now();
          restart.firstDeliveryAt = await targets.firstLiveMessageAfter(restart.upAt, targets.recoveryTimeoutMs);
          log(`${stamp(restart.stoppedAt)} Redis restarted: answering after ${secs(restart.upAt, restart.stoppedAt)}, first live message at a subscriber after ${secs(restart.firstDeliveryAt, restart.stoppedAt)}`);
        }
      } catch (error) {
        result.errors.push(`${fault.kind}${fault.kind === 'kill' ? ` ${fault.service}` : ''}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  return result;
}

const secs = (at: number | null, from: number) => (at === null ? 'never' : `${((at - from) / 1000).toFixed(1)} s`);
