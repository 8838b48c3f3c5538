import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { createClient, type Client } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { liveChannels } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { recordSpans, type ReadableSpan, type SpanRecording } from '@commerce/service-kit/testing';
import { signUp, type Actor } from './support/graph';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

let recording: SpanRecording;
let stack: TestStack;
let redis: Redis;
let subscriber: Client;
let owner: Actor;
let customer: Actor;
let shopId: string;
let productId: string;

beforeAll(async () => {
  recording = recordSpans();
  stack = await startTestStack();
  redis = new Redis(testRedisUrl);
  [owner, customer] = await Promise.all([signUp(stack.gatewayUrl, 'SHOP_OWNER'), signUp(stack.gatewayUrl, 'CUSTOMER')]);
  shopId = (await owner.data(`mutation { createShop(input: { name: "Traced Shop" }) { id } }`)).createShop.id;
  productId = (
    await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
      input: { shopId, name: 'Traced loaf', priceCents: 400, stock: 10 },
    })
  ).createProduct.id;
});

afterAll(async () => {
  await subscriber?.dispose();
  redis?.disconnect();
  await stack?.stop();
  recording?.stop();
});

/** The one recorded span that fits, once it has ended. */
function spanWhere(description: string, fits: (span: ReadableSpan) => boolean): Promise<ReadableSpan> {
  return eventually(async () => {
    const found = recording.spans().find(fits);
    if (!found) throw new Error(`no span yet: ${description}`);
    return found;
  });
}

/** Places an order as soon as orders' read model knows the product; returns the request id of the placement that succeeded. */
function placeOrder(): Promise<{ orderId: string; requestId: string }> {
  return eventually(async () => {
    const requestId = randomUUID();
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}`, 'x-request-id': requestId },
      body: JSON.stringify({
        query: 'mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
        operationName: 'PlaceOrder',
        variables: { input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '1 Trace Lane', cardToken: 'tok_visa' } },
      }),
    });
    const result = (await response.json()) as { data?: { placeOrder: { id: string } }; errors?: unknown };
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return { orderId: result.data.placeOrder.id, requestId };
  });
}

describe('one trace per request, across RabbitMQ and into live updates', () => {
  it("carries placeOrder's trace from the gateway into the consumers of its events, the events they write, and the live update", async () => {
    subscriber = createClient({
      url: stack.gatewayUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${owner.token}` },
      retryAttempts: 0,
    });
    const announced: unknown[] = [];
    subscriber.subscribe(
      { query: 'subscription ($shopId: ID!) { orderPlaced(shopId: $shopId) { id } }', variables: { shopId } },
      { next: (result) => void announced.push(result.data?.orderPlaced), error: (error) => announced.push(error), complete: () => undefined },
    );
    await eventually(async () => {
      const [, listeners] = (await redis.pubsub('NUMSUB', `${stack.namespace}.${liveChannels.shopOrders(shopId)}`)) as [string, number];
      if (Number(listeners) === 0) throw new Error('the gateway is not listening yet');
    });

    const { orderId, requestId } = await placeOrder();
    const front = await spanWhere(
      'the gateway request',
      (span) => span.attributes['service.name'] === 'gateway' && span.kind === SpanKind.SERVER && String(span.attributes['http.request.header.x-request-id']) === requestId,
    );
    expect(front.attributes['graphql.operation.name']).toBe('PlaceOrder');
    const traceId = front.spanContext().traceId;
    const inTrace = (span: ReadableSpan) => span.spanContext().traceId === traceId;
    const consumerOf = (type: string, service: string) => (span: ReadableSpan) =>
      inTrace(span) && span.kind === SpanKind.CONSUMER && span.attributes['event.type'] === type && span.attributes['service.name'] === service;

    // order.placed, written by orders while serving the request, handled by catalog off RabbitMQ.
    const reserving = await spanWhere('catalog handling order.placed', consumerOf('order.placed', 'catalog'));
    const writer = recording.spans().find((span) => span.spanContext().spanId === reserving.parentSpanContext?.spanId);
    expect(writer?.attributes['service.name']).toBe('orders');
    // inventory.reserved, written by catalog's handler, handled by payments: the same trace still.
    await spanWhere('payments handling inventory.reserved', consumerOf('inventory.reserved', 'payments'));

    // The live update orders announced resolved at the gateway, in the trace as well.
    await eventually(async () => expect(announced).toEqual([{ id: orderId }]));
    await spanWhere('the live update at the gateway', (span) => inTrace(span) && span.name === 'live message' && span.attributes['service.name'] === 'gateway');
  });
});
