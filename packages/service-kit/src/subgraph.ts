import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import { maskUnexpectedErrors } from './errors';
import { createHttpHandler, listen, type HealthCheck, type RunningHttpServer } from './http';
import { identityFromHeaders, type Identity } from './identity';
import type { Logger } from './logger';

/** What every subgraph's resolvers receive; subgraphs add their loaders and services. */
export interface BaseSubgraphContext extends BaseContext {
  identity: Identity | null;
}

export interface SubgraphDefinition<TContext extends BaseSubgraphContext> {
  name: string;
  typeDefs: DocumentNode;
  // Codegen's resolver types are stricter than Apollo's map; each subgraph checks its own.
  resolvers: object;
  /** Builds the per-request context (fresh DataLoaders) for a verified caller. */
  context: (identity: Identity | null) => Omit<TContext, 'identity'>;
  health: HealthCheck;
  logger: Logger;
}

export function createSubgraphServer<TContext extends BaseSubgraphContext>(
  definition: SubgraphDefinition<TContext>,
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: definition.typeDefs,
      resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
    }),
    includeStacktraceInErrorResponses: false,
    // Inline traces are for Apollo's cloud reporting, which we never send to; they only cost time.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) =>
      maskUnexpectedErrors(formatted, (e) => definition.logger.error({ err: e }, 'unexpected error'), error),
  });
}

export interface RunningSubgraph extends RunningHttpServer {
  apollo: ApolloServer<BaseSubgraphContext>;
}

/** Starts the subgraph on `port` (0 picks a free one): POST/GET /graphql and GET /health. */
export async function startSubgraph<TContext extends BaseSubgraphContext>(
  definition: SubgraphDefinition<TContext>,
  port: number,
  host?: string,
): Promise<RunningSubgraph> {
  const apollo = createSubgraphServer(definition);
  await apollo.start();
  const handler = createHttpHandler<TContext>({
    apollo,
    health: definition.health,
    context: async ({ req }: { req: IncomingMessage }) => {
      const identity = identityFromHeaders(req.headers);
      return { ...definition.context(identity), identity } as TContext;
    },
  });
  const running = await listen(handler, port, host);
  return {
    ...running,
    apollo: apollo as unknown as ApolloServer<BaseSubgraphContext>,
    async close() {
      await running.close();
      await apollo.stop();
    },
  };
}
