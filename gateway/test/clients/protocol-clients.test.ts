import { spawn } from 'node:child_process';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { operations, until, useClientStack } from './stack';

const stack = useClientStack();

const watched = [
  { data: { orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } } },
  { data: { orderUpdated: { id: 'o1', status: 'SHIPPED', customer: { name: 'Ada' } } } },
];

/** Subscribes with a protocol client's own `subscribe`, publishes one change after the first result, and returns both results. */
async function watchTwo(subscribe: (sink: { next: (r: unknown) => void; error: (e: unknown) => void; complete: () => void }) => () => void): Promise<unknown[]> {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const stop = subscribe({ next: (r) => results.push(r), error: (e) => errors.push(e), complete: () => undefined });
  try {
    await until(() => results.length === 1 || errors.length > 0);
    expect(errors).toEqual([]);
    await stack().publishStatus('SHIPPED');
    await until(() => results.length === 2);
    return results;
  } finally {
    stop();
  }
}

/** A single result of a query or mutation, as a protocol client's `subscribe` delivers it. */
function once(subscribe: (sink: { next: (r: unknown) => void; error: (e: unknown) => void; complete: () => void }) => () => void, ): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const results: unknown[] = [];
    subscribe({ next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
  });
}

describe("graphql-ws's own client", () => {
  let client: WsClient;
  beforeEach(() => {
    client = createWsClient({ url: stack().wsUrl, webSocketImpl: WebSocket, connectionParams: stack().auth, retryAttempts: 0 });
  });
  afterEach(async () => {
    await client.dispose();
  });

  it('streams a subscription', async () => {
    expect(await watchTwo((sink) => client.subscribe({ query: operations.subscription }, sink))).toEqual(watched);
  });

  it('runs a query and a mutation: one `next`, then `complete`', async () => {
    expect(await once((sink) => client.subscribe({ query: operations.query }, sink))).toEqual([{ data: operations.queryData }]);
    expect(await once((sink) => client.subscribe({ query: operations.mutation, variables: { name: 'Bureau' } }, sink))).toEqual([
      { data: { renameProduct: { id: 'p2', name: 'Bureau' } } },
    ]);
  });
});

describe("graphql-sse's own client", () => {
  const clients: SseClient[] = [];
  const sseClient = (singleConnection: boolean) => {
    const client = createSseClient({ url: stack().url, headers: stack().auth, singleConnection, retryAttempts: 0 });
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.dispose();
  });

  it.each([false, true])('streams a subscription (single connection mode: %s)', async (singleConnection) => {
    const client = sseClient(singleConnection);
    expect(await watchTwo((sink) => client.subscribe({ query: operations.subscription }, sink))).toEqual(watched);
  });

  it.each([false, true])('runs a query: one `next`, then `complete` (single connection mode: %s)', async (singleConnection) => {
    const client = sseClient(singleConnection);
    expect(await once((sink) => client.subscribe({ query: operations.query }, sink))).toEqual([{ data: operations.queryData }]);
  });
});

/** Runs curl against the gateway, handing its output to `watch` as it arrives; resolves with all of it when curl exits or `watch` says stop. */
function curl(args: string[], watch: (output: string) => 'stop' | 'more' = () => 'more'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['--silent', '--no-buffer', '--max-time', '20', ...args]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (watch(output) === 'stop') child.kill();
    });
    child.on('error', reject);
    child.on('close', () => resolve(output));
  });
}

const post = (accept: string, body: object) => [
  '-X',
  'POST',
  '-H',
  'content-type: application/json',
  '-H',
  `accept: ${accept}`,
  '-H',
  `authorization: ${stack().auth.authorization}`,
  '--data',
  JSON.stringify(body),
  stack().url,
];

describe('curl', () => {
  it('streams a subscription over SSE as `next` events', async () => {
    let published = false;
    const output = await curl(post('text/event-stream', { query: operations.subscription }), (soFar) => {
      const events = soFar.split('event: next').length - 1;
      if (events === 1 && !published) {
        published = true;
        void stack().publishStatus('SHIPPED');
      }
      return events === 2 ? 'stop' : 'more';
    });
    const data = [...output.matchAll(/^event: next\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(data).toEqual(watched);
  });

  it('streams a subscription over multipart HTTP as `payload` parts', async () => {
    let published = false;
    const output = await curl(post('multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json', { query: operations.subscription }), (soFar) => {
      const payloads = soFar.split('"payload"').length - 1;
      if (payloads === 1 && !published) {
        published = true;
        void stack().publishStatus('SHIPPED');
      }
      return payloads === 2 ? 'stop' : 'more';
    });
    const parts = output.split('\r\n--graphql').map((part) => part.split('\r\n\r\n')[1]).filter((body) => body && body.includes('payload'));
    expect(parts.map((body) => (JSON.parse(body!) as { payload: unknown }).payload)).toEqual(watched);
  });

  it('receives a @defer query as multipart/mixed, byte for byte', async () => {
    const output = await curl(post('multipart/mixed;deferSpec=20220824', { query: operations.deferred }));
    const part = (body: object) => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(body)}\r\n---`;
    expect(output).toBe(
      '\r\n---' +
        part({ data: operations.deferredPrimary, hasNext: true }) +
        part({
          incremental: [
            { data: { reviews: [{ body: 'Bright', author: { name: 'Ada' } }] }, path: ['products', 0], label: 'reviews' },
            { data: { reviews: [] }, path: ['products', 1], label: 'reviews' },
          ],
          hasNext: false,
        }) +
        '--\r\n',
    );
  });
});
