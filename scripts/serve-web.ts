/** The web app on its own (docker-compose's `web` service): `tsx scripts/serve-web.ts`. */
import { z } from 'zod';
import { createLogger, loadConfig, runUntilSignalled } from '@commerce/service-kit';
import { startWebServer } from './web-server';

const webEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The gateway's /graphql as browsers reach it; unset, port GATEWAY_PUBLIC_PORT of the page's host. */
  WEB_GRAPHQL_URL: z.string().url().optional(),
  GATEWAY_PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
};

runUntilSignalled(async () => {
  const config = loadConfig(webEnv);
  const web = await startWebServer({ port: config.WEB_PORT, host: config.HOST, graphqlUrl: config.WEB_GRAPHQL_URL, gatewayPort: config.GATEWAY_PUBLIC_PORT });
  createLogger('web', config.LOG_LEVEL).info({ url: web.url }, 'web app served');
  return { stop: () => web.close() };
});
