/**
 * The whole supergraph in one process: five subgraphs and the gateway. This is
 * the quickstart (`npm start`), the seed script's runtime and the end-to-end
 * tests' fixture. With DATABASE_URL / AMQP_URL unset it runs on embedded
 * PGlite instances (one per subgraph) and an in-process event bus.
 */
import path from 'node:path';
import { AmqpEventBus, InMemoryEventBus, type EventBus } from '@commerce/events';
import { InMemoryLivePubSub, RedisLivePubSub, type LivePubSub } from '@commerce/pubsub';
import { startGateway } from '@commerce/gateway';
import {
  baseEnv,
  createLogger,
  InMemoryRevokedSessions,
  loadConfig,
  portVariable,
  runSubgraph,
  type RunningService,
  type SubgraphModule,
} from '@commerce/service-kit';
import { catalogSubgraph } from '@commerce/catalog';
import { logisticsSubgraph } from '@commerce/logistics';
import { ordersSubgraph } from '@commerce/orders';
import { paymentsSubgraph } from '@commerce/payments';
import { jwksPath, usersSubgraph } from '@commerce/users';

export const subgraphModules: SubgraphModule<any>[] = [
  usersSubgraph,
  catalogSubgraph,
  ordersSubgraph,
  paymentsSubgraph,
  logisticsSubgraph,
];

export const supergraphPath = path.resolve(__dirname, '../schema/supergraph.graphql');

export interface Stack {
  gatewayUrl: string;
  services: Record<string, RunningService>;
  mode: 'embedded' | 'postgres';
  /** The domain events, for stack-level listeners such as the simulator (and tests). */
  bus: EventBus;
  /** The live-update channels the subgraphs publish on, for the gateway's subscriptions. */
  live: LivePubSub;
  stop(): Promise<void>;
}

/**
 * @param ports 'standard' binds the documented ports (4000–4005); 'ephemeral'
 * picks free ones, for tests and for seeding beside a running stack.
 */
export async function startStack(env: NodeJS.ProcessEnv = process.env, ports: 'standard' | 'ephemeral' = 'standard'): Promise<Stack> {
  const config = loadConfig({ ...baseEnv, PORT: portVariable(4000) }, env);
  const logger = createLogger('stack', config.LOG_LEVEL);
  // In-process, one bus is shared by every subgraph; on RabbitMQ each subgraph
  // has its own connection, as it would in its own process, and so does the stack.
  const sharedBus = config.AMQP_URL ? undefined : new InMemoryEventBus();
  const bus = sharedBus ?? (await AmqpEventBus.connect({ url: config.AMQP_URL!, namespace: config.EVENTS_NAMESPACE, logger, queueType: config.EVENTS_QUEUE_TYPE }));
  // The same for live updates: one in-process pub/sub, or a Redis connection pair each.
  const sharedLive = config.REDIS_URL ? undefined : new InMemoryLivePubSub({ namespace: config.EVENTS_NAMESPACE });
  const live = sharedLive ?? (await RedisLivePubSub.connect({ url: config.REDIS_URL!, namespace: config.EVENTS_NAMESPACE, logger }));
  // And for signed-out sessions: in-process, the users subgraph and the gateway share one list.
  const revokedSessions = config.REDIS_URL ? undefined : new InMemoryRevokedSessions();
  const services: Record<string, RunningService> = {};
  const stopAll = async () => {
    for (const service of Object.values(services).reverse()) await service.stop();
    await bus.close();
    await live.close();
  };
  try {
    for (const module of subgraphModules) {
      const port = ports === 'standard' ? String(module.defaultPort) : '0';
      services[module.name] = await runSubgraph(module, { ...env, PORT: port }, {
        bus: sharedBus,
        live: sharedLive,
        revokedSessions,
        logger: logger.child({ service: module.name }),
      });
    }
    // The gateway starts as on its own (its configuration, clients, APQ store), routed to these subgraphs.
    const routes = Object.fromEntries(Object.entries(services).map(([name, s]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, s.subgraph.url]));
    // Tokens signed with a private key are verified against the users subgraph's published keys.
    const jwks = env.JWT_PRIVATE_KEY && !env.JWT_JWKS_URL ? { JWT_JWKS_URL: new URL(jwksPath, services.users!.subgraph.url).href } : {};
    const gateway = await startGateway(['--supergraph', supergraphPath], { ...env, ...routes, ...jwks, PORT: ports === 'standard' ? String(config.PORT) : '0' }, {
      live,
      revokedSessions,
      logger: logger.child({ service: 'gateway' }),
    });
    return {
      gatewayUrl: gateway.url,
      services,
      mode: services.users!.database.mode,
      bus,
      live,
      async stop() {
        await gateway.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
