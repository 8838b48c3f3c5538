import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { RetryLink } from '@apollo/client/link/retry';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { getMainDefinition } from '@apollo/client/utilities';
import { clientName, clientVersion, graphqlUrl, sendDocumentIds } from '../config';
import { freshToken } from '../session/session-store';
import { documentId } from './document-id';
import { createWebSocketTransport } from './websocket-link';

const isSubscription = (operation: ApolloLink.Operation) => {
  const definition = getMainDefinition(operation.query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
};

/**
 * Queries and mutations over HTTP; subscriptions over graphql-ws, or over
 * multipart HTTP (Apollo's subscription protocol) where WebSockets cannot open.
 * A production build sends persisted document ids only, which the gateway's
 * `web` client list (SAFELIST) holds.
 */
export function createApolloClient(): ApolloClient {
  const auth = new SetContextLink(async (prevContext) => {
    const token = await freshToken();
    return { headers: { ...prevContext.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  const http = new HttpLink({ uri: graphqlUrl });
  const persisted = new PersistedQueryLink({
    generateHash: documentId,
    // The ids are in the gateway's list already; sending the text again would not help a SAFELIST client.
    retry: () => false,
  });
  const httpChain = sendDocumentIds ? ApolloLink.from([persisted, http]) : http;

  // Subscriptions that stream changes only (stock) cannot know what they missed while away: read again.
  const websocket = createWebSocketTransport(() => void client.refetchQueries({ include: 'active' }));
  // A multipart subscription whose stream broke (network lost) is sent again, as graphql-ws does by itself;
  // on resubscribing it answers with the current state. A GraphQL refusal is final.
  const multipartRetry = new RetryLink({
    delay: { initial: 1_000, max: 10_000, jitter: true },
    attempts: { max: Number.POSITIVE_INFINITY, retryIf: (error, operation) => isSubscription(operation) && !CombinedGraphQLErrors.is(error) },
  });
  const transport = ApolloLink.split(
    (operation) => isSubscription(operation) && !websocket.unusable(),
    websocket.link,
    ApolloLink.from([multipartRetry, httpChain]),
  );

  const client = new ApolloClient({
    link: ApolloLink.from([auth, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { products: { keyArgs: ['shopId', 'search'] } } },
      },
    }),
    clientAwareness: { name: clientName, version: clientVersion },
  });
  return client;
}
