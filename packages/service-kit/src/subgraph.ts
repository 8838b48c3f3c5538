import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { execute, validate, type DocumentNode, type FormattedExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import { maskUnexpectedErrors } from './errors';
import { createHttpHandler, listen, type HealthCheck, type RunningHttpServer, type SubscriptionEventRequest } from './http';
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

export function buildDefinitionSchema(definition: Pick<SubgraphDefinition<BaseSubgraphContext>, 'typeDefs' | 'resolvers'>): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: definition.typeDefs,
    resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
  });
}

/** `schema` defaults to the definition's own; pass it when the caller also executes on it directly. */
export function createSubgraphServer<TContext extends BaseSubgraphContext>(
  definition: SubgraphDefinition<TContext>,
  schema: GraphQLSchema = buildDefinitionSchema(definition),
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Inline traces are for Apollo's cloud reporting, which we never send to; they only cost time.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) =>
      maskUnexpectedErrors(formatted, (e) => definition.logger.error({ err: e }, 'unexpected error'), error),
  });
}

/**
 * Answers one event of a subscription the gateway serves: the root field runs
 * with the published message as its root value and the caller's ordinary
 * context, and errors are masked exactly as Apollo's formatError masks them.
 */
export async function executeSubscriptionEvent<TContext extends BaseSubgraphContext>(
  schema: GraphQLSchema,
  request: SubscriptionEventRequest,
  context: () => Promise<TContext>,
  logger: Logger,
): Promise<FormattedExecutionResult> {
  const mask = (error: GraphQLError, code?: string) =>
    maskUnexpectedErrors(
      code ? { ...error.toJSON(), extensions: { ...error.extensions, code } } : error.toJSON(),
      (e) => logger.error({ err: e }, 'unexpected error'),
      error.originalError ?? error,
    );
  const invalid = validate(schema, request.document);
  if (invalid.length > 0) return { errors: invalid.map((error) => mask(error, 'GRAPHQL_VALIDATION_FAILED')) };
  const result = await execute({
    schema,
    document: request.document,
    operationName: request.operationName,
    variableValues: request.variables,
    rootValue: request.event,
    contextValue: await context(),
  });
  return result.errors ? { data: result.data, errors: result.errors.map((error) => mask(error)) } : { data: result.data };
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
  const schema = buildDefinitionSchema(definition);
  const apollo = createSubgraphServer(definition, schema);
  await apollo.start();
  const handler = createHttpHandler<TContext>({
    apollo,
    health: definition.health,
    context: async ({ req }: { req: IncomingMessage }) => {
      const identity = identityFromHeaders(req.headers);
      return { ...definition.context(identity), identity } as TContext;
    },
    subscriptionEvent: (request, context) => executeSubscriptionEvent(schema, request, context, definition.logger),
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
