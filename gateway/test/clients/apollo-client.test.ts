import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { operations, until, useClientStack } from './stack';

const stack = useClientStack();

// GraphQLWsLink reads the browser's WebSocket global when a socket errors; Node 20 has none, so ws stands in as it would in an app.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** Apollo Client 4 as an app sets it up (it adds `__typename` to every selection; `plain` takes it out to compare). */
function apolloClient(link: ApolloLink): ApolloClient {
  return new ApolloClient({
    link,
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
    defaultOptions: { query: { fetchPolicy: 'no-cache' }, watchQuery: { fetchPolicy: 'no-cache' }, mutate: { fetchPolicy: 'no-cache' } },
  });
}

/** The data without the `__typename`s Apollo Client asked for, to compare with the operations as written. */
const plain = (data: unknown): unknown =>
  data === undefined ? undefined : JSON.parse(JSON.stringify(data), (key, value: unknown) => (key === '__typename' ? undefined : value));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function httpLink(sent: string[] = []): ApolloLink {
  return new HttpLink({
    uri: stack().url,
    headers: stack().auth,
    fetch: async (input, init) => {
      sent.push(String(init?.body ?? input));
      return fetch(input, init);
    },
  });
}

describe('Apollo Client 4 over HttpLink', () => {
  it('runs a query and a mutation as automatic persisted queries: hash first, then hash with document, then hash alone', async () => {
    const sent: string[] = [];
    const client = apolloClient(ApolloLink.from([createPersistedQueryLink({ sha256 }), httpLink(sent)]));
    expect(plain((await client.query({ query: gql(operations.query) })).data)).toEqual(operations.queryData);
    expect(plain((await client.query({ query: gql(operations.query) })).data)).toEqual(operations.queryData);
    const sentQuery = sent.map((body) => 'query' in (JSON.parse(body) as object));
    // Unknown hash (PersistedQueryNotFound), registered with the document, then known by hash alone.
    expect(sentQuery).toEqual([false, true, false]);

    const renamed = await client.mutate({ mutation: gql(operations.mutation), variables: { name: 'Bureau' } });
    expect(plain(renamed.data)).toEqual({ renameProduct: { id: 'p2', name: 'Bureau' } });
  });

  it('receives a @defer query in parts: the primary data first, then the deferred reviews merged in', async () => {
    const client = apolloClient(httpLink());
    const seen: { data: unknown; dataState: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = client.watchQuery({ query: gql(operations.deferred) }).subscribe({
        next: (result) => {
          seen.push({ data: plain(result.data), dataState: result.dataState });
          if (result.dataState === 'complete') {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    const [first, ...rest] = seen.filter((s) => s.dataState !== 'empty');
    expect(first).toEqual({ data: operations.deferredPrimary, dataState: 'streaming' });
    expect(rest.at(-1)).toEqual({ data: operations.deferredWhole, dataState: 'complete' });
  });

  it('streams a subscription over multipart HTTP', async () => {
    const client = apolloClient(httpLink());
    const statuses: string[] = [];
    const subscription = client.subscribe({ query: gql(operations.subscription) }).subscribe({
      next: (result) => statuses.push((result.data as { orderUpdated: { status: string } }).orderUpdated.status),
    });
    try {
      await until(() => statuses.length === 1);
      await stack().publishStatus('SHIPPED');
      await until(() => statuses.length === 2);
      expect(statuses).toEqual(['PACKED', 'SHIPPED']);
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe('Apollo Client 4 over GraphQLWsLink', () => {
  function wsClient() {
    const socket = createClient({ url: stack().wsUrl, webSocketImpl: WebSocket, connectionParams: stack().auth, retryAttempts: 0 });
    return { client: apolloClient(new GraphQLWsLink(socket)), socket };
  }

  it('streams a subscription', async () => {
    const { client, socket } = wsClient();
    const results: unknown[] = [];
    const subscription = client.subscribe({ query: gql(operations.subscription) }).subscribe({ next: (result) => results.push(plain(result.data)) });
    try {
      await until(() => results.length === 1);
      await stack().publishStatus('SHIPPED');
      await until(() => results.length === 2);
      expect(results).toEqual([
        { orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } },
        { orderUpdated: { id: 'o1', status: 'SHIPPED', customer: { name: 'Ada' } } },
      ]);
    } finally {
      subscription.unsubscribe();
      await socket.dispose();
    }
  });

  it('runs a query and a mutation over the socket', async () => {
    const { client, socket } = wsClient();
    try {
      expect(plain((await client.query({ query: gql(operations.query) })).data)).toEqual(operations.queryData);
      const renamed = await client.mutate({ mutation: gql(operations.mutation), variables: { name: 'Bureau' } });
      expect(plain(renamed.data)).toEqual({ renameProduct: { id: 'p2', name: 'Bureau' } });
    } finally {
      await socket.dispose();
    }
  });

  it('receives a @defer query in parts over the socket: the primary data first, then the deferred reviews merged in', async () => {
    const { client, socket } = wsClient();
    const seen: { data: unknown; dataState: string }[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const subscription = client.watchQuery({ query: gql(operations.deferred) }).subscribe({
          next: (result) => {
            seen.push({ data: plain(result.data), dataState: result.dataState });
            if (result.dataState === 'complete') {
              subscription.unsubscribe();
              resolve();
            }
          },
          error: reject,
        });
      });
    } finally {
      await socket.dispose();
    }
    const [first, ...rest] = seen.filter((s) => s.dataState !== 'empty');
    expect(first).toEqual({ data: operations.deferredPrimary, dataState: 'streaming' });
    expect(rest.at(-1)).toEqual({ data: operations.deferredWhole, dataState: 'complete' });
  });
});
