import { readFile } from 'node:fs/promises';
import { RedisLivePubSub } from '@commerce/pubsub';
import { createLogger } from '@commerce/service-kit/src/logger';
import { parseGatewayArgs } from './args';
import { loadGatewayConfig } from './config';
import { createGateway, type RunningGateway } from './server';

/**
 * Config (environment plus command line) → supergraph file → a listening
 * gateway. index.ts runs this until a signal; tests call it directly.
 */
export async function startGateway(argv: string[], env?: NodeJS.ProcessEnv): Promise<RunningGateway> {
  const config = loadGatewayConfig(env, parseGatewayArgs(argv));
  const logger = createLogger('gateway', config.logLevel);
  const supergraphSdl = await readFile(config.supergraphPath, 'utf8');
  const live = config.redis ? await RedisLivePubSub.connect({ ...config.redis, logger }) : undefined;
  if (!live) logger.warn('REDIS_URL is not set: subscriptions are refused');
  const gateway = await createGateway({
    live,
    supergraphSdl,
    subgraphUrls: config.subgraphUrls,
    jwt: config.jwt,
    production: config.nodeEnv === 'production',
    logger,
    port: config.port,
    host: config.host,
  });
  logger.info({ supergraph: config.supergraphPath, subgraphs: Object.fromEntries([...gateway.dataSources].map(([n, ds]) => [n, ds.url])) }, `gateway ready at ${gateway.url}`);
  return {
    ...gateway,
    async close() {
      await gateway.close();
      await live?.close();
    },
  };
}
