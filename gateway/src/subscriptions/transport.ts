import type { Server } from 'node:http';
import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { LivePubSub } from '@commerce/pubsub';
import { maskUnexpectedErrors } from '@commerce/service-kit/src/errors';
import type { Identity } from '@commerce/service-kit/src/identity';
import type { JwtSettings } from '@commerce/service-kit/src/jwt';
import type { Logger } from '@commerce/service-kit/src/logger';
import { tokenFromAuthorization } from '../context';
import { liveFieldOf } from './channels';
import type { SubscriptionExecutor } from './execute';
import type { SubscriptionPlanner } from './plan';
import { LiveStream } from './stream';

export interface SubscriptionTransportOptions {
  /** The gateway's HTTP server: subscriptions share its port and its /graphql path. */
  server: Server;
  path: string;
  jwt: JwtSettings;
  /** Without one, every subscription is refused with a clear error. */
  live?: LivePubSub;
  planner: SubscriptionPlanner;
  executor: SubscriptionExecutor;
  logger: Logger;
  production: boolean;
}

export interface SubscriptionTransport {
  /** Closes every socket with 1001 Going Away (so clients reconnect elsewhere) and stops accepting new ones. */
  dispose(): Promise<void>;
}

/** Per connection: the caller verified at connection_init. */
interface ConnectionExtra extends Record<PropertyKey, unknown> {
  identity: Identity | null;
}

const refuse = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

/**
 * graphql-ws (the graphql-transport-ws protocol) on the gateway's own HTTP
 * server. The token travels in connection_init as `authorization`
 * ("Bearer …") and is verified exactly as on HTTP; a bad one closes the
 * socket with 4403 Forbidden. Each subscription is checked, planned and
 * resolved once for its current state before it is accepted, so a refusal is
 * a graphql-ws `error` message with its code rather than a closed stream.
 */
export function attachSubscriptionTransport(options: SubscriptionTransportOptions): SubscriptionTransport {
  const { planner, executor, live, logger } = options;
  const wsServer = new WebSocketServer({ server: options.server, path: options.path });
  const format = (error: GraphQLError): GraphQLFormattedError =>
    maskUnexpectedErrors(error.toJSON(), (e) => logger.error({ err: e }, 'unexpected error'), error.originalError ?? error);

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      isProd: options.production,
      onConnect: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        let token;
        try {
          token = tokenFromAuthorization(typeof authorization === 'string' ? authorization : undefined, options.jwt);
        } catch {
          return false;
        }
        ctx.extra.identity = token?.identity ?? null;
        if (token) {
          // A connection lives no longer than the token that opened it: the client must sign in
          // again (and reconnect) rather than keep receiving data on a session that has ended.
          const socket = ctx.extra.socket;
          const expiry = setTimeout(() => socket.close(4403, 'Token expired'), Math.min(token.expiresAt - Date.now(), 2 ** 31 - 1));
          socket.once('close', () => clearTimeout(expiry));
        }
        return true;
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        if (!live) return refuse('Subscriptions are not enabled on this gateway (it has no live pub/sub)', 'BAD_REQUEST');
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return error instanceof GraphQLError ? [new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] : refuse('Unparsable document', 'GRAPHQL_PARSE_FAILED');
        }
        const invalid = validate(planner.schema, document);
        if (invalid.length > 0) {
          return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        }
        const operationName = payload.operationName ?? undefined;
        const operation = getOperationAST(document, operationName);
        if (!operation) return refuse('Unable to identify the operation', 'BAD_REQUEST');
        if (operation.operation !== 'subscription') return refuse('Send queries and mutations over HTTP to this same URL', 'BAD_REQUEST');
        const variables = payload.variables ?? {};
        let field;
        try {
          field = liveFieldOf(planner.schema, operation, variables);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const request = {
          plan: planner.plan(payload.query, document, operationName),
          source: payload.query,
          operationName,
          variables,
          context: { identity: ctx.extra.identity ?? null },
        };
        const opened = await LiveStream.open({
          pubsub: live,
          channels: field.channels,
          initialEvent: field.initialEvent,
          responseKey: field.responseKey,
          resolve: (message) => executor.resolve(request, message),
        });
        if ('refused' in opened) return opened.refused;
        // The opened stream rides in the context to `subscribe` below, the hook graphql-ws calls next.
        return { schema: planner.schema, document, operationName, variableValues: variables, contextValue: opened.stream };
      },
      subscribe: (args) => {
        if (!(args.contextValue instanceof LiveStream)) throw new Error('A subscription reached the transport without its stream');
        return args.contextValue;
      },
      onNext: (_ctx, _id, _payload, _args, result) => ({ ...result, errors: result.errors?.map(format) }),
      onError: (_ctx, _id, _payload, errors) => errors.map(format),
    },
    wsServer,
  );

  return {
    async dispose() {
      await disposable.dispose();
    },
  };
}
