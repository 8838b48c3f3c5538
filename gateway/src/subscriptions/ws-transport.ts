import type { Server } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { VerifiedToken } from '@commerce/service-kit/src/jwt';
import { tokenFromAuthorization } from '../context';
import type { ClientCredentials } from '../operations/clients';
import { credentialsFromConnection } from '../operations/credentials';
import type { TransportOptions } from './transport-options';
import { LiveStream } from './stream';

/** Per connection: the caller's token, verified at connection_init, and the client's credentials. */
interface ConnectionExtra extends Record<PropertyKey, unknown> {
  token: VerifiedToken | null;
  credentials: ClientCredentials;
}

export interface WebSocketTransport {
  /** Closes every socket with 1001 Going Away (so clients reconnect elsewhere) and stops accepting new ones. */
  dispose(): Promise<void>;
}

/**
 * graphql-ws (the graphql-transport-ws protocol) on the gateway's own HTTP
 * server and path. The token travels in connection_init as `authorization`
 * ("Bearer …") and is verified exactly as on HTTP; a bad one closes the
 * socket with 4403 Forbidden, and so does its expiry. A subscription is
 * authorized and its current state read before it is accepted, so a refusal
 * is a graphql-ws `error` message with its code rather than a closed stream.
 * Client credentials (API key, app name) come from connection_init or the
 * upgrade request, and a subscribe message may carry a persisted id.
 */
export function attachWebSocketTransport(server: Server, path: string, options: TransportOptions): WebSocketTransport {
  const { service, callers, formatError, admission } = options;
  const wsServer = new WebSocketServer({ server, path });

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      isProd: options.production,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        let token;
        try {
          token = await tokenFromAuthorization(typeof authorization === 'string' ? authorization : undefined, callers.tokens);
        } catch {
          return false;
        }
        ctx.extra.token = token;
        ctx.extra.credentials = credentialsFromConnection(ctx.connectionParams, ctx.extra.request.headers);
        // The upgrade request is not needed past this point, and kept it would cost every idle connection its size.
        Reflect.deleteProperty(ctx.extra, 'request');
        if (token) {
          const socket = ctx.extra.socket;
          const expiry = setTimeout(() => socket.close(4403, 'Token expired'), Math.min(token.expiresAt - Date.now(), 2 ** 31 - 1));
          socket.once('close', () => clearTimeout(expiry));
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        // Counted against the rate limits once per subscribe; the events that follow are not.
        const admitted = await admission.admit(ctx.extra.credentials ?? {}, payload, { userId: ctx.extra.token?.identity.userId ?? null });
        if ('refused' in admitted) return [admitted.refused];
        const subscribed = await service.subscribe({ ...admitted.params, query: admitted.params.query ?? '' }, ctx.extra.token ?? null);
        if ('errors' in subscribed) return subscribed.errors;
        const { stream } = subscribed;
        // Each result is framed from the one JSON string its shared resolution made (already masked),
        // rather than graphql-ws building and stringifying a message per subscriber.
        const socket = ctx.extra.socket;
        const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
        stream.writeTo((payload) => socket.send(`${prefix}${payload}}`));
        // graphql-ws wants execution arguments; the stream rides in the context to `subscribe` below, which it calls next.
        return { schema: service.schema, document: subscribed.document, operationName: subscribed.operationName, contextValue: stream };
      },
      subscribe: (args) => {
        if (!(args.contextValue instanceof LiveStream)) throw new Error('A subscription reached the transport without its stream');
        // Writes its results itself and yields nothing; graphql-ws still completes and cancels it.
        return args.contextValue as unknown as AsyncIterable<ExecutionResult>;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(formatError),
    },
    wsServer,
  );

  return {
    async dispose() {
      await disposable.dispose();
    },
  };
}
