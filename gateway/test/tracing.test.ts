import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { eventually, recordSpans, type ReadableSpan, type SpanRecording } from '@commerce/service-kit';
import { jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { accounts } from './fixtures/accounts';
import { reviewsSubgraph } from './fixtures/reviews';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';

let recording: SpanRecording;
let accountsServer: RunningFixture;
let reviewsServer: RunningFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  recording = recordSpans();
  accountsServer = await startFixture(accounts);
  reviewsServer = await startFixture(reviewsSubgraph);
  const supergraphSdl = composeFixtures([accounts, reviewsSubgraph], { accounts: accountsServer.url, reviews: reviewsServer.url });
  gateway = await createGateway({ supergraphSdl, jwt });
});

afterAll(async () => {
  recording?.stop();
  await gateway?.close();
  await accountsServer?.server.close();
  await reviewsServer?.server.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('a trace through the gateway', () => {
  it("continues the client's traceparent through the query plan into every subgraph it calls, under one request id", async () => {
    const [traceId, clientSpanId] = [hex(16), hex(8)];
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${clientSpanId}-01`, 'x-request-id': 'trace-me' },
      body: JSON.stringify({ query: 'query TopReviews { topReviews { body author { name } } }', operationName: 'TopReviews' }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();

    const servers = await eventually(async () => {
      const found = recording.spans().filter((span) => span.spanContext().traceId === traceId && span.kind === SpanKind.SERVER);
      if (!['gateway', 'accounts', 'reviews'].every((name) => found.some((span) => span.attributes['service.name'] === name))) throw new Error('server spans missing');
      return found;
    });
    const byService = (name: string) => servers.find((span) => span.attributes['service.name'] === name)!;
    const spanById = new Map(recording.spans().map((span) => [span.spanContext().spanId, span]));
    const parentName = (span: ReadableSpan) => spanById.get(span.parentSpanContext?.spanId ?? '')?.name;

    const front = byService('gateway');
    expect(front.parentSpanContext?.spanId).toBe(clientSpanId);
    expect(front.attributes).toMatchObject({ 'graphql.operation.name': 'TopReviews', 'http.request.header.x-request-id': ['trace-me'] });
    expect(recording.spans().some((span) => span.name === 'gateway.plan' && span.spanContext().traceId === traceId)).toBe(true);
    for (const subgraph of ['accounts', 'reviews']) {
      const server = byService(subgraph);
      expect(parentName(server)).toBe('gateway.fetch');
      expect(server.attributes['http.request.header.x-request-id']).toEqual(['trace-me']);
    }
  });

  it('starts a trace of its own for a request without one', async () => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ users { id } }' }) });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const server = await eventually(async () => {
      const found = recording.spans().find((span) => span.attributes['service.name'] === 'accounts' && String(span.attributes['http.request.header.x-request-id']) === requestId);
      if (!found) throw new Error('no accounts span for the request yet');
      return found;
    });
    const front = await eventually(async () => {
      const found = recording.spans().find((span) => span.kind === SpanKind.SERVER && span.attributes['service.name'] === 'gateway' && span.spanContext().traceId === server.spanContext().traceId);
      if (!found) throw new Error('no gateway span for the request yet');
      return found;
    });
    expect(front.parentSpanContext).toBeUndefined();
  });
});
