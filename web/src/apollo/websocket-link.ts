import { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';
import { Observable } from 'rxjs';
import { createClient, type Client } from 'graphql-ws';
import { clientName, clientVersion, websocketUrl } from '../config';
import { freshToken } from '../session/session-store';
import { connectionStatus } from './connection-status';
import { operationBody } from './post-operation';

/** Close codes after which reconnecting cannot help. */
const finalCloseCodes = new Set([4400, 4406, 4409, 4429, 4500]);
/** Lets the gateway's 4403 close land before the subscription is sent again, on the next socket. */
const renewDelayMs = 300;

export interface WebSocketTransport {
  link: ApolloLink;
  client: Client | null;
  /** True without WebSocket, or once the socket has failed to open several times in a row: subscriptions then go over multipart HTTP. */
  unusable(): boolean;
}

/** The gateway ends every stream of an expired token with an UNAUTHENTICATED result (then closes the socket, 4403). */
const isExpiry = (errors: readonly GraphQLFormattedError[] | undefined) => errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED') ?? false;

/**
 * Subscriptions over graphql-ws. The token is read when each connection opens
 * (connectionParams is a function), so when the gateway ends a stream and
 * closes the socket because the token that opened it expired, the
 * subscription is sent again on a new connection with the current token, and
 * answers with the current state. Only a session that cannot be renewed ends it.
 */
export function createWebSocketTransport(onReconnected: () => void): WebSocketTransport {
  let failedOpens = 0;
  let everConnected = false;
  // graphql-ws refuses to start without a WebSocket implementation; multipart HTTP serves then.
  const client =
    typeof WebSocket === 'undefined'
      ? null
      : createClient({
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
      new Observable<ApolloLink.Result>((observer) => {
        if (!client) {
          observer.error(new Error('WebSockets are not available'));
          return;
        }
        const body = operationBody(operation.query, operation.variables);
        // graphql-ws requires a query string: an empty one stands for "by id" at the gateway.
        const payload = { query: body.query ?? '', variables: body.variables, extensions: body.extensions, operationName: operation.operationName };
        let generation = 0;
        let stop: () => void = () => undefined;
        let unsubscribed = false;

        const fail = (errors: readonly GraphQLFormattedError[]) => observer.error(new CombinedGraphQLErrors({ errors }));
        const renew = (mine: number, errors: readonly GraphQLFormattedError[]) => {
          if (mine !== generation) return;
          generation += 1; // whatever the ended stream still sends is ignored
          stop();
          setTimeout(() => {
            void freshToken().then((token) => {
              if (unsubscribed) return;
              if (token) start();
              else fail(errors); // the session is over: say so
            });
          }, renewDelayMs);
        };
        const start = () => {
          const mine = ++generation;
          stop = client.subscribe(payload, {
            next: (result) => {
              if (mine !== generation) return;
              if (!result.data && isExpiry(result.errors)) renew(mine, result.errors!);
              else observer.next(result as ApolloLink.Result);
            },
            complete: () => {
              if (mine === generation) observer.complete();
            },
            error: (error) => {
              if (mine !== generation) return;
              if (Array.isArray(error)) {
                if (isExpiry(error)) renew(mine, error);
                else fail(error);
              } else observer.error(error instanceof Error ? error : new Error('The live connection closed'));
            },
          });
        };
        start();
        return () => {
          unsubscribed = true;
          stop();
        };
      }),
  );
  return { link, client, unusable: () => client === null || (!everConnected && failedOpens >= 3) };
}
