import { createClient, type Client as WsClient } from 'graphql-ws';
import { Network, Observable, type FetchFunction, type GraphQLResponse, type RequestParameters, type SubscribeFunction } from 'relay-runtime';
import WebSocket from 'ws';
import { operations, until, useClientStack } from './stack';

const stack = useClientStack();

/** What relay-compiler would emit for an operation: its text, name and kind. */
function request(name: string, text: string, operationKind: RequestParameters['operationKind']): RequestParameters {
  return { cacheID: name, id: null, name, text, operationKind, metadata: {} };
}

/** A Relay app's network layer: queries and mutations as HTTP POSTs, subscriptions over graphql-ws. */
function relayNetwork(socket: WsClient) {
  const fetchFn: FetchFunction = async (params, variables) => {
    const response = await fetch(stack().url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...stack().auth },
      body: JSON.stringify({ query: params.text, operationName: params.name, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  const subscribeFn: SubscribeFunction = (params, variables) =>
    Observable.create<GraphQLResponse>((sink) =>
      socket.subscribe({ operationName: params.name, query: params.text ?? '', variables }, sink as Parameters<WsClient['subscribe']>[1]),
    );
  return Network.create(fetchFn, subscribeFn);
}

let socket: WsClient;

beforeEach(() => {
  socket = createClient({ url: stack().wsUrl, webSocketImpl: WebSocket, connectionParams: stack().auth, retryAttempts: 0 });
});

afterEach(async () => {
  await socket.dispose();
});

describe("Relay's network layer (relay-runtime)", () => {
  it('runs a query and a mutation through its fetch function', async () => {
    const network = relayNetwork(socket);
    const query = await network.execute(request('Lamp', operations.query, 'query'), {}, {}).toPromise();
    expect(query).toEqual({ data: operations.queryData });
    const mutation = await network.execute(request('Rename', operations.mutation, 'mutation'), { name: 'Bureau' }, {}).toPromise();
    expect(mutation).toEqual({ data: { renameProduct: { id: 'p2', name: 'Bureau' } } });
  });

  it('streams a subscription through a graphql-ws subscribe function', async () => {
    const network = relayNetwork(socket);
    const results: unknown[] = [];
    const subscription = network.execute(request('Watch', operations.subscription, 'subscription'), {}, {}).subscribe({ next: (r) => results.push(r) });
    try {
      await until(() => results.length === 1);
      await stack().publishStatus('SHIPPED');
      await until(() => results.length === 2);
      expect(results).toEqual([
        { data: { orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } } },
        { data: { orderUpdated: { id: 'o1', status: 'SHIPPED', customer: { name: 'Ada' } } } },
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });
});
