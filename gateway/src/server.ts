import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { LivePubSub } from '@commerce/pubsub';
import { maskUnexpectedErrors } from '@commerce/service-kit/src/errors';
import { createHttpHandler, listen } from '@commerce/service-kit/src/http';
import type { JwtSettings } from '@commerce/service-kit/src/jwt';
import { createLogger, type Logger } from '@commerce/service-kit/src/logger';
import { disableApolloTelemetryUnlessSet } from './config';
import { createContext, type GatewayContext } from './context';
import { createExplorer } from './explorer';
import { checkGatewayHealth, sendHealth, type GatewayHealth } from './health';
import { IdentityForwardingDataSource } from './identity-data-source';
import { createKeepAliveFetcher } from './keep-alive-fetcher';
import { SubscriptionExecutor } from './subscriptions/execute';
import { SubscriptionPlanner } from './subscriptions/plan';
import { attachSubscriptionTransport } from './subscriptions/transport';

export interface GatewayOptions {
  /** The composed supergraph; served as it is, never polled for. */
  supergraphSdl: string;
  /** Routing URL overrides by subgraph name, e.g. `{ users: 'http://users:4001/graphql' }`. */
  subgraphUrls?: Record<string, string>;
  jwt: JwtSettings;
  /** No explorer and no introspection. */
  production?: boolean;
  logger?: Logger;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Merge identical in-flight subgraph query fetches; on unless turned off (the benchmark compares both). */
  deduplicate?: boolean;
  /**
   * Where the owning subgraphs publish changes; subscriptions (graphql-ws on
   * this same /graphql URL) are served only with one.
   */
  live?: LivePubSub;
}

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  port: number;
  server: Server;
  apollo: ApolloServer<GatewayContext>;
  /** One data source per subgraph, by name, as routed. */
  dataSources: ReadonlyMap<string, IdentityForwardingDataSource>;
  health(): Promise<GatewayHealth>;
  close(): Promise<void>;
}

/**
 * Builds the gateway over a static supergraph and serves it: POST/GET
 * /graphql, GET /health with every subgraph's status and, outside
 * production, the GraphiQL explorer on a browser's GET /graphql.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const production = options.production ?? false;
  const logger = options.logger ?? createLogger('gateway', 'warn');
  const overrides = options.subgraphUrls ?? {};
  const fetcher = createKeepAliveFetcher();
  const dataSources = new Map<string, IdentityForwardingDataSource>();
  let loaded = false;

  disableApolloTelemetryUnlessSet();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService({ name, url }) {
      const routed = overrides[name] ?? url;
      if (!routed) throw new Error(`Subgraph ${name} has no routing URL; set SUBGRAPH_${name.toUpperCase()}_URL`);
      const dataSource = new IdentityForwardingDataSource({ name, url: routed, fetcher, deduplicate: options.deduplicate });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    nodeEnv: production ? 'production' : 'development',
    formatError: (formatted, error) => maskUnexpectedErrors(formatted, (e) => logger.error({ err: e }, 'unexpected error'), error),
    plugins: [
      // Our own explorer is served instead, from our own files.
      ApolloServerPluginLandingPageDisabled(),
      // Subgraphs send no cache hints and nothing caches whole responses, so computing a policy per request is waste.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
  });
  await apollo.start();
  loaded = true;

  const health = () => checkGatewayHealth(loaded ? Object.fromEntries([...dataSources].map(([name, ds]) => [name, ds.url])) : null);
  const graphql = createHttpHandler<GatewayContext>({
    apollo,
    context: createContext(options.jwt),
    // Answered below with every subgraph's status; the kit's handler only sees requests for other paths.
    health: async () => ({ supergraph: loaded ? null : 'no supergraph loaded' }),
    before: production ? undefined : createExplorer(),
  });
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && (req.url === '/health' || req.url?.startsWith('/health?'))) {
      sendHealth(res, await health());
      return;
    }
    await graphql(req, res);
  };

  let running;
  try {
    running = await listen(handler, options.port ?? 0, options.host);
  } catch (error) {
    await apollo.stop();
    fetcher.destroy();
    throw error;
  }

  const planner = new SubscriptionPlanner(options.supergraphSdl);
  const subscriptions = attachSubscriptionTransport({
    server: running.server,
    path: '/graphql',
    jwt: options.jwt,
    live: options.live,
    planner,
    executor: new SubscriptionExecutor(planner, dataSources, logger),
    logger,
    production,
  });

  return {
    url: running.url,
    port: running.port,
    server: running.server,
    apollo,
    dataSources,
    health,
    async close() {
      await subscriptions.dispose();
      await running.close();
      await apollo.stop();
      loaded = false;
      fetcher.destroy();
    },
  };
}
