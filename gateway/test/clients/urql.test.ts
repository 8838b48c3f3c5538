import { Client, fetchExchange, gql, subscriptionExchange, type OperationResult } from '@urql/core';
import { createClient } from 'graphql-ws';
import { pipe, subscribe } from 'wonka';
import WebSocket from 'ws';
import { operations, until, useClientStack, type ClientStack } from './stack';

const stack = useClientStack();

/** Collects a urql source's results until it ends, or `count` of them. */
function collect(client: Client, query: string, kind: 'query' | 'subscription', count = Infinity) {
  const results: OperationResult[] = [];
  const source = kind === 'query' ? client.query(query, {}) : client.subscription(query, {});
  let done = false;
  const { unsubscribe } = pipe(
    source,
    subscribe((result) => {
      results.push(result);
      if (!result.hasNext || results.length >= count) done = true;
    }),
  );
  return { results, ended: () => until(() => done), unsubscribe };
}

async function watchTwoStatuses(client: Client, s: ClientStack): Promise<unknown[]> {
  const watch = collect(client, operations.subscription, 'subscription');
  try {
    await until(() => watch.results.length === 1);
    await s.publishStatus('SHIPPED');
    await until(() => watch.results.length === 2);
    return watch.results.map((r) => r.error ?? r.data);
  } finally {
    watch.unsubscribe();
  }
}

const watched = [
  { orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } },
  { orderUpdated: { id: 'o1', status: 'SHIPPED', customer: { name: 'Ada' } } },
];

describe('urql (@urql/core)', () => {
  // urql 6 sends queries as GET by default, which the gateway's CSRF prevention refuses without a preflight header; POST is urql's documented alternative.
  const httpClient = (fetchSubscriptions = false) =>
    new Client({
      url: stack().url,
      exchanges: [fetchExchange],
      fetchOptions: { headers: stack().auth },
      fetchSubscriptions,
      preferGetMethod: false,
      requestPolicy: 'network-only',
    });

  it('runs a query and a mutation over fetchExchange', async () => {
    const client = httpClient();
    expect((await client.query(operations.query, {}).toPromise()).data).toEqual(operations.queryData);
    expect((await client.mutation(operations.mutation, { name: 'Bureau' }).toPromise()).data).toEqual({ renameProduct: { id: 'p2', name: 'Bureau' } });
  });

  it('receives a @defer query incrementally over fetchExchange: the primary data, then the whole', async () => {
    const query = collect(httpClient(), gql(operations.deferred).loc!.source.body, 'query');
    await query.ended();
    expect(query.results.map((r) => ({ data: r.data, hasNext: r.hasNext }))).toEqual([
      { data: operations.deferredPrimary, hasNext: true },
      { data: operations.deferredWhole, hasNext: false },
    ]);
  });

  it('streams a subscription with fetchSubscriptions (over SSE)', async () => {
    expect(await watchTwoStatuses(httpClient(true), stack())).toEqual(watched);
  });

  it('streams a subscription through subscriptionExchange over graphql-ws', async () => {
    const socket = createClient({ url: stack().wsUrl, webSocketImpl: WebSocket, connectionParams: stack().auth, retryAttempts: 0 });
    const client = new Client({
      url: stack().url,
      exchanges: [
        subscriptionExchange({
          forwardSubscription(request) {
            const input = { ...request, query: request.query ?? '' };
            return { subscribe: (sink) => ({ unsubscribe: socket.subscribe(input, sink) }) };
          },
        }),
      ],
    });
    try {
      expect(await watchTwoStatuses(client, stack())).toEqual(watched);
    } finally {
      await socket.dispose();
    }
  });

  it('runs queries and mutations over graphql-ws too, with enableAllOperations', async () => {
    const socket = createClient({ url: stack().wsUrl, webSocketImpl: WebSocket, connectionParams: stack().auth, retryAttempts: 0 });
    const client = new Client({
      url: stack().url,
      exchanges: [
        subscriptionExchange({
          enableAllOperations: true,
          forwardSubscription(request) {
            const input = { ...request, query: request.query ?? '' };
            return { subscribe: (sink) => ({ unsubscribe: socket.subscribe(input, sink) }) };
          },
        }),
      ],
    });
    try {
      expect((await client.query(operations.query, {}).toPromise()).data).toEqual(operations.queryData);
      expect((await client.mutation(operations.mutation, { name: 'Bureau' }).toPromise()).data).toEqual({ renameProduct: { id: 'p2', name: 'Bureau' } });
    } finally {
      await socket.dispose();
    }
  });
});
