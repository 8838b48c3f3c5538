import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { eventually, signAccessToken } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/**
 * The gateway's WebSocket endpoint held to graphql-ws's PROTOCOL.md, close
 * codes included. Most cases talk raw frames, since they send what a
 * well-behaved client never would; the codes are written out as the protocol
 * numbers them rather than taken from the library under test.
 */

const subprotocol = 'graphql-transport-ws';
const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const watchOrder = `subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status customer { name } } }`;
const readOrder = `query Read($id: ID!) { order(id: $id) { id status customer { name } } }`;
const setStatus = `mutation Set($id: ID!, $status: String!) { setOrderStatus(id: $id, status: $status) { id status } }`;

interface Message {
  type: string;
  id?: string;
  // The payload's shape depends on the message type; each test reads what it expects.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload?: any;
}

interface Closed {
  code: number;
  reason: string;
}

const waitMs = 10_000;

/** One socket spoken to frame by frame; remembers everything the server sent and how it closed. */
class RawSocket {
  readonly received: Message[] = [];
  closedWith: Closed | null = null;
  private pings = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.received.push(JSON.parse(String(data)) as Message));
    socket.on('close', (code, reason) => (this.closedWith = { code, reason: String(reason) }));
  }

  static async open(url: string, protocols: string[] = [subprotocol]): Promise<RawSocket> {
    const socket = new RawSocket(new WebSocket(url, protocols));
    sockets.push(socket);
    await once(socket.socket, 'open');
    return socket;
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  /** Anything at all, as text or as JSON: the point is to send what the protocol forbids too. */
  send(message: object | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async receive(match: (message: Message) => boolean): Promise<Message> {
    return eventually(
      async () => {
        const found = this.received.find(match);
        if (!found) throw new Error(`no such message among ${JSON.stringify(this.received)}`);
        return found;
      },
      waitMs,
      10,
    );
  }

  async closed(): Promise<Closed> {
    return eventually(
      async () => {
        if (!this.closedWith) throw new Error(`still open; received ${JSON.stringify(this.received)}`);
        return this.closedWith;
      },
      waitMs,
      10,
    );
  }

  async acknowledged(connectionParams: Record<string, string> = bearer(ada)): Promise<void> {
    this.send({ type: 'connection_init', payload: connectionParams });
    await this.receive((m) => m.type === 'connection_ack');
  }

  /**
   * A ping answered: the server has handled every frame sent before it, and
   * whatever it sent in direct answer to those has arrived.
   */
  async roundTrip(): Promise<void> {
    const payload = { roundTrip: ++this.pings };
    this.send({ type: 'ping', payload });
    await this.receive((m) => m.type === 'pong' && m.payload?.roundTrip === payload.roundTrip);
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  about(id: string): Message[] {
    return this.received.filter((m) => m.id === id);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

let fixtures: LiveFixtures;
let supergraphSdl: string;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub();
const sockets: RawSocket[] = [];
const wsUrl = (running: RunningGateway) => running.url.replace(/^http/, 'ws');

/** The owning subgraph's side of a change: commit it, then announce it on the live channel. */
async function changeOrder(id: string, status: string): Promise<void> {
  orders.get(id)!.status = status;
  await live.publish(liveChannels.orderUpdated(id), { orderId: id });
}

beforeAll(async () => {
  fixtures = await startLiveFixtures();
  supergraphSdl = fixtures.supergraphSdl;
  gateway = await createGateway({ supergraphSdl, jwt, live });
});

beforeEach(() => {
  orders.get('o1')!.status = 'PACKED';
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

afterAll(async () => {
  await gateway?.close();
  await live.close();
  await fixtures?.close();
});

describe('graphql-transport-ws on the gateway', () => {
  it('serves a full round trip to the graphql-ws client: current state, a published change, complete, normal closure', async () => {
    const closeCodes: number[] = [];
    const client = createClient({
      url: wsUrl(gateway),
      webSocketImpl: WebSocket,
      connectionParams: bearer(ada),
      retryAttempts: 0,
      on: { closed: (event) => void closeCodes.push((event as Closed).code) },
    });
    const payloads: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
    let unsubscribe = () => undefined as void;
    const ended = new Promise<void>((resolve, reject) => {
      unsubscribe = client.subscribe({ query: watchOrder, variables: { id: 'o1' } }, { next: (p) => void payloads.push(p), error: reject, complete: resolve });
    });

    await eventually(async () => expect(payloads).toHaveLength(1), waitMs, 10);
    expect(payloads[0]).toEqual({ data: { orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } } });
    await changeOrder('o1', 'SHIPPED');
    await eventually(async () => expect(payloads).toHaveLength(2), waitMs, 10);
    expect(payloads[1]).toEqual({ data: { orderUpdated: { id: 'o1', status: 'SHIPPED', customer: { name: 'Ada' } } } });

    unsubscribe();
    await ended;
    await client.dispose();
    await eventually(async () => expect(closeCodes).toEqual([1000]), waitMs, 10);
  });

  it('acknowledges connection_init and agrees on the graphql-transport-ws subprotocol', async () => {
    const socket = await RawSocket.open(wsUrl(gateway), ['graphql-ws', subprotocol]);
    expect(socket.protocol).toBe(subprotocol);
    await socket.acknowledged();
    expect(socket.received).toEqual([{ type: 'connection_ack' }]);
  });

  it('answers ping with pong, echoing its payload, even before connection_init', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    socket.send({ type: 'ping' });
    await socket.receive((m) => m.type === 'pong');
    await socket.acknowledged();
    socket.send({ type: 'ping', payload: { sentAt: 'now' } });
    await socket.receive((m) => m.type === 'pong' && m.payload !== undefined);
    expect(socket.received).toEqual([{ type: 'pong' }, { type: 'connection_ack' }, { type: 'pong', payload: { sentAt: 'now' } }]);
  });

  it('takes an unsolicited pong as a heartbeat, answering nothing', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.send({ type: 'pong', payload: { heartbeat: true } });
    await socket.roundTrip();
    expect(socket.received).toEqual([{ type: 'connection_ack' }, { type: 'pong', payload: { roundTrip: 1 } }]);
    expect(socket.closedWith).toBeNull();
  });

  it('closes a socket opened without the graphql-transport-ws subprotocol with 4406', async () => {
    const socket = await RawSocket.open(wsUrl(gateway), []);
    expect(await socket.closed()).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  it('closes a socket that sends no connection_init in time with 4408', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    expect(await socket.closed()).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(socket.received).toEqual([]);
  });

  it('closes a socket that sends a second connection_init with 4429', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.send({ type: 'connection_init', payload: bearer(ada) });
    expect(await socket.closed()).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('closes a socket that subscribes before its connection is acknowledged with 4401', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    socket.subscribe('early', watchOrder, { id: 'o1' });
    expect(await socket.closed()).toEqual({ code: 4401, reason: 'Unauthorized' });
    expect(socket.received).toEqual([]);
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a message of an unknown type', { type: 'start', id: 'x', payload: { query: watchOrder } }],
    ['a message without a type', { id: 'x' }],
    ['a subscribe without an id', { type: 'subscribe', payload: { query: watchOrder, variables: { id: 'o1' } } }],
    ['a subscribe without a query', { id: 'x', type: 'subscribe', payload: {} }],
    ['a complete without an id', { type: 'complete' }],
  ])('closes a socket that sends %s with 4400', async (_name, message) => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.send(message);
    expect((await socket.closed()).code).toBe(4400);
  });

  it('closes a socket that reuses the id of a live subscription with 4409', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('twice', watchOrder, { id: 'o1' });
    await socket.receive((m) => m.id === 'twice' && m.type === 'next');
    socket.subscribe('twice', watchOrder, { id: 'o1' });
    expect(await socket.closed()).toEqual({ code: 4409, reason: 'Subscriber for twice already exists' });
  });

  it.each([
    ['a malformed token', 'Bearer not.a.jwt'],
    ['an expired token', `Bearer ${signAccessToken(ada, jwt, -60)}`],
    ['a token signed with another secret', `Bearer ${signAccessToken(ada, { ...jwt, secret: 'some-other-secret-of-enough-length' })}`],
    ['credentials that are not a bearer token', 'Basic YWRhOnNlY3JldA=='],
  ])('closes a connection_init carrying %s with 4403, acknowledging nothing', async (_name, authorization) => {
    const socket = await RawSocket.open(wsUrl(gateway));
    socket.send({ type: 'connection_init', payload: { authorization } });
    expect(await socket.closed()).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(socket.received).toEqual([]);
  });

  it('sends nothing more for an id the client completed, and lets it reuse that id', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('completed', watchOrder, { id: 'o1' });
    socket.subscribe('kept', watchOrder, { id: 'o1' });
    await socket.receive((m) => m.id === 'completed' && m.type === 'next');
    await socket.receive((m) => m.id === 'kept' && m.type === 'next');

    socket.send({ id: 'completed', type: 'complete' });
    await socket.roundTrip();
    await changeOrder('o1', 'SHIPPED');
    // Both streams hear the same change; the one still live answering shows the change went round.
    await socket.receive((m) => m.id === 'kept' && m.payload?.data?.orderUpdated?.status === 'SHIPPED');
    await socket.roundTrip();
    expect(socket.about('completed').map((m) => m.payload?.data?.orderUpdated?.status)).toEqual(['PACKED']);

    socket.subscribe('completed', watchOrder, { id: 'o1' });
    await socket.receive((m) => m.id === 'completed' && m.payload?.data?.orderUpdated?.status === 'SHIPPED');
    expect(socket.closedWith).toBeNull();
  });

  it.each([
    ['fails validation', 'subscription { orderUpdated(orderId: "o1") { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['does not parse', 'subscription {', 'GRAPHQL_PARSE_FAILED'],
    ["asks for another customer's order", 'subscription { orderUpdated(orderId: "o2") { id } }', 'FORBIDDEN'],
    ['lacks its required variable', watchOrder, 'BAD_USER_INPUT'],
  ])('refuses a subscription that %s with one error message carrying its code, keeping the socket', async (_name, query, code) => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('refused', query);
    const error = await socket.receive((m) => m.id === 'refused');
    expect(error.type).toBe('error');
    expect(error.payload).toEqual([expect.objectContaining({ message: expect.any(String), extensions: expect.objectContaining({ code }) })]);
    // The error ends the operation: no complete follows it, and the connection stays up.
    await socket.roundTrip();
    expect(socket.about('refused')).toEqual([error]);
    expect(socket.closedWith).toBeNull();
  });

  it('refuses a client offering only the legacy graphql-ws subprotocol (subscriptions-transport-ws) as graphql-ws itself does: no subprotocol agreed, then 4406', async () => {
    // A WebSocket client library fails such a handshake itself, so the upgrade is spoken by hand.
    const request = http.request(gateway.url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-ws',
      },
    });
    request.end();
    const [response, socket, head] = (await once(request, 'upgrade')) as [http.IncomingMessage, Duplex, Buffer];
    try {
      expect(response.statusCode).toBe(101);
      expect(response.headers['sec-websocket-protocol']).toBeUndefined();
      // The server's first frame: a close (opcode 8), unmasked, its payload the code then the reason.
      // It may have come with the handshake's response.
      const frame = head.length > 0 ? head : ((await once(socket, 'data')) as [Buffer])[0];
      expect(frame[0]).toBe(0x88);
      const length = frame[1]!;
      expect(frame.readUInt16BE(2)).toBe(4406);
      expect(frame.subarray(4, 2 + length).toString()).toBe('Subprotocol not acceptable');
    } finally {
      socket.destroy();
    }
  });

  it('answers a query with one next, then complete', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('read', readOrder, { id: 'o1' });
    await socket.receive((m) => m.id === 'read' && m.type === 'complete');
    expect(socket.about('read')).toEqual([
      { id: 'read', type: 'next', payload: { data: { order: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } } } },
      { id: 'read', type: 'complete' },
    ]);
  });

  it('runs a mutation as the signed-in caller, answering next then complete', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('set', setStatus, { id: 'o1', status: 'SHIPPED' });
    await socket.receive((m) => m.id === 'set' && m.type === 'complete');
    expect(socket.about('set')).toEqual([
      { id: 'set', type: 'next', payload: { data: { setOrderStatus: { id: 'o1', status: 'SHIPPED' } } } },
      { id: 'set', type: 'complete' },
    ]);
    expect(orders.get('o1')!.status).toBe('SHIPPED');
  });

  it("masks a query's errors as HTTP does, keeping their codes and the data beside them", async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    // The orders fixture refuses another customer's order with FORBIDDEN, as a field error.
    socket.subscribe('theirs', setStatus, { id: 'o2', status: 'SHIPPED' });
    const next = await socket.receive((m) => m.id === 'theirs' && m.type === 'next');
    expect(next.payload).toEqual({
      data: { setOrderStatus: null },
      errors: [expect.objectContaining({ message: 'Not yours', path: ['setOrderStatus'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })],
    });
    expect(JSON.stringify(next.payload)).not.toContain('stacktrace');
    await socket.receive((m) => m.id === 'theirs' && m.type === 'complete');
  });

  it.each([
    ['does not parse', '{', {}, 'GRAPHQL_PARSE_FAILED'],
    ['fails validation', '{ order(id: "o1") { nope } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['lacks its required variable', readOrder, {}, 'BAD_USER_INPUT'],
    ['names no operation it defines', 'query A { __typename } query B { __typename }', {}, 'OPERATION_RESOLUTION_FAILURE'],
  ])('answers a query that %s with one error message carrying its code, no complete, keeping the socket', async (_name, query, variables, code) => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('bad', query, variables);
    const error = await socket.receive((m) => m.id === 'bad');
    expect(error).toEqual({ id: 'bad', type: 'error', payload: [expect.objectContaining({ extensions: expect.objectContaining({ code }) })] });
    await socket.roundTrip();
    expect(socket.about('bad')).toEqual([error]);
    expect(socket.closedWith).toBeNull();
  });

  it('lets a client reuse the id of a query once it completed', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('again', readOrder, { id: 'o1' });
    await socket.receive((m) => m.id === 'again' && m.type === 'complete');
    socket.subscribe('again', readOrder, { id: 'o1' });
    await eventually(async () => expect(socket.about('again').filter((m) => m.type === 'complete')).toHaveLength(2), waitMs, 10);
    expect(socket.about('again').map((m) => m.type)).toEqual(['next', 'complete', 'next', 'complete']);
    expect(socket.closedWith).toBeNull();
  });

  it('multiplexes queries, a mutation and a live subscription on one socket, completing each on its own', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('live', watchOrder, { id: 'o1' });
    socket.subscribe('q1', readOrder, { id: 'o1' });
    socket.subscribe('q2', `{ order(id: "o2") { id } }`);
    socket.subscribe('m', setStatus, { id: 'o1', status: 'PACKED' });
    for (const id of ['q1', 'q2', 'm']) await socket.receive((m) => m.id === id && m.type === 'complete');
    await socket.receive((m) => m.id === 'live' && m.type === 'next');
    expect(socket.about('q1').map((m) => m.type)).toEqual(['next', 'complete']);
    expect(socket.about('q2')).toEqual([{ id: 'q2', type: 'next', payload: { data: { order: { id: 'o2' } } } }, { id: 'q2', type: 'complete' }]);
    expect(socket.about('m').map((m) => m.type)).toEqual(['next', 'complete']);
    // The subscription outlives the single results beside it until the client completes it.
    await changeOrder('o1', 'SHIPPED');
    await socket.receive((m) => m.id === 'live' && m.payload?.data?.orderUpdated?.status === 'SHIPPED');
    expect(socket.about('live').some((m) => m.type === 'complete')).toBe(false);
    socket.send({ id: 'live', type: 'complete' });
    await socket.roundTrip();
    await changeOrder('o1', 'PACKED');
    socket.subscribe('q1', readOrder, { id: 'o1' });
    await eventually(async () => expect(socket.about('q1').filter((m) => m.type === 'complete')).toHaveLength(2), waitMs, 10);
    await socket.roundTrip();
    // Nothing after the client's complete: not the change back to PACKED, and no complete of its own.
    expect(socket.about('live').map((m) => [m.type, m.payload?.data?.orderUpdated?.status])).toEqual([
      ['next', 'PACKED'],
      ['next', 'SHIPPED'],
    ]);
    expect(socket.closedWith).toBeNull();
  });

  it('sends nothing for a query the client completed while it ran', async () => {
    const socket = await RawSocket.open(wsUrl(gateway));
    await socket.acknowledged();
    socket.subscribe('dropped', readOrder, { id: 'o1' });
    socket.send({ id: 'dropped', type: 'complete' });
    socket.subscribe('after', readOrder, { id: 'o1' });
    await socket.receive((m) => m.id === 'after' && m.type === 'complete');
    await socket.roundTrip();
    expect(socket.about('dropped')).toEqual([]);
  });

  it('closes every socket with 1001 Going Away when the gateway closes', async () => {
    const closing = await createGateway({ supergraphSdl, jwt, live });
    const subscribed = await RawSocket.open(wsUrl(closing));
    await subscribed.acknowledged();
    subscribed.subscribe('live', watchOrder, { id: 'o1' });
    await subscribed.receive((m) => m.id === 'live' && m.type === 'next');
    const waiting = await RawSocket.open(wsUrl(closing));

    await closing.close();
    expect((await subscribed.closed()).code).toBe(1001);
    expect((await waiting.closed()).code).toBe(1001);
  });
});
