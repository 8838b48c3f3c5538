import { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Observable } from 'rxjs';
import { createClient, type Client } from 'graphql-ws';
import { clientName, clientVersion, websocketUrl } from '../config';
import { freshToken } from '../session/session-store';
import { connectionStatus } from './connection-status';
import { operationBody } from './post-operation';

/** Close codes after which reconnecting cannot help. */
const finalCloseCodes = new Set([4400, 4406, 4409, 4429, 4500]);

export interface WebSocketTransport {
  link: ApolloLink;
  client: Client;
  /** True once the socket has failed to open several times in a row: subscriptions then go over multipart HTTP. */
  unusable(): boolean;
}

/**
 * Subscriptions over graphql-ws. The token is read when each connection opens
 * (connectionParams is a function), so when the gateway closes a socket whose
 * token expired (4403) the client reconnects with a fresh one, and every
 * subscription is sent again and answers with the current state.
 */
export function createWebSocketTransport(onReconnected: () => void): WebSocketTransport {
  let failedOpens = 0;
  let everConnected = false;
  const client = createClient({
    url: websocketUrl,
    lazy: true,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && finalCloseCodes.has((event as CloseEvent).code)),
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** retries, 10_000) * (0.5 + Math.random() / 2)));
    },
    connectionParams: async () => {
      const token = await freshToken();
      return { clientName, clientVersion, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    },
    on: {
      connected: () => {
        failedOpens = 0;
        connectionStatus.socketConnected();
        if (everConnected) onReconnected();
        everConnected = true;
      },
      closed: (event) => {
        if (!everConnected) failedOpens += 1;
        // 1000 is graphql-ws closing an unused lazy socket; anything else, it is retrying.
        if ((event as CloseEvent | undefined)?.code === 1000) connectionStatus.socketIdle();
        else connectionStatus.socketLost();
      },
    },
  });

  const link = new ApolloLink(
    (operation) =>
      new Observable((observer) => {
        const body = operationBody(operation.query, operation.variables);
        // graphql-ws requires a query string: an empty one stands for "by id" at the gateway.
        return client.subscribe(
          { query: body.query ?? '', variables: body.variables, extensions: body.extensions, operationName: operation.operationName },
          {
            next: (result) => observer.next(result as ApolloLink.Result),
            complete: () => observer.complete(),
            error: (error) => {
              if (Array.isArray(error)) observer.error(new CombinedGraphQLErrors({ errors: error }));
              else observer.error(error instanceof Error ? error : new Error('The live connection closed'));
            },
          },
        );
      }),
  );
  // No WebSocket at all (a locked-down embed), or one that never opened three times over (a proxy that drops upgrades).
  return { link, client, unusable: () => typeof WebSocket === 'undefined' || (!everConnected && failedOpens >= 3) };
}
