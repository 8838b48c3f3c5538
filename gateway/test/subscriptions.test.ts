import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { LivePubSub, Unsubscribe } from '@commerce/pubsub';
import { signAccessToken } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { authorizations, orders, resolveCalls, resolvedMessages } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/** An in-process pub/sub that also counts live subscriptions per channel. */
class CountingPubSub implements LivePubSub {
  readonly listeners = new Map<string, Set<(message: unknown) => void>>();

  async publish(channel: string, message: object): Promise<void> {
    for (const listener of this.listeners.get(channel) ?? []) listener(JSON.parse(JSON.stringify(message)));
  }

  async subscribe(channel: string, onMessage: (message: unknown) => void): Promise<Unsubscribe> {
    const set = this.listeners.get(channel) ?? new Set();
    this.listeners.set(channel, set);
    const listener = (message: unknown) => onMessage(message);
    set.add(listener);
    return async () => {
      set.delete(listener);
    };
  }

  onResubscribed(): () => void {
    return () => undefined;
  }

  problem(): string | null {
    return null;
  }

  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const query = `subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status customer { name } } }`;

let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new CountingPubSub();
const clients: Client[] = [];

function connect(connectionParams: Record<string, string> = {}, onClose?: (code: number) => void): Client {
  const client = createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  return client;
}

/** Collects a subscription's payloads; `ended` settles on complete or error. */
function watch(client: Client, variables: Record<string, unknown>) {
  const payloads: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  let unsubscribe = () => undefined as void;
  const ended = new Promise<unknown>((resolve) => {
    unsubscribe = client.subscribe({ query, variables }, { next: (p) => void payloads.push(p), error: resolve, complete: () => resolve(null) });
  });
  return { payloads, ended, unsubscribe };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  fixtures = await startLiveFixtures();
  const { supergraphSdl } = fixtures;
  gateway = await createGateway({ supergraphSdl, jwt, live });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await gateway?.close();
  await fixtures?.close();
});

describe('subscriptions over graphql-ws', () => {
  beforeEach(() => {
    orders.get('o1')!.status = 'PACKED';
  });

  it('sends the current state first, then one payload per published change, with fields from two subgraphs, completing after the final one', async () => {
    const { payloads, ended, unsubscribe } = watch(connect(bearer(ada)), { id: 'o1' });
    await until(() => payloads.length === 1 && live.count('orderUpdated.o1') === 1);
    expect(payloads[0]).toEqual({ data: { orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } } });

    orders.get('o1')!.status = 'SHIPPED';
    await live.publish('orderUpdated.o1', { orderId: 'o1' });
    await until(() => payloads.length === 2);
    orders.get('o1')!.status = 'DELIVERED';
    await live.publish('orderUpdated.o1', { orderId: 'o1' });
    await until(() => payloads.length === 3);
    expect(payloads.slice(1).map((p) => p.data?.orderUpdated)).toEqual([
      { id: 'o1', status: 'SHIPPED', customer: { name: 'Ada' } },
      { id: 'o1', status: 'DELIVERED', customer: { name: 'Ada' } },
    ]);
    // DELIVERED is final (@liveUntil): the gateway completes the stream and leaves the channel by itself.
    expect(await ended).toBeNull();
    await until(() => live.count('orderUpdated.o1') === 0);
    unsubscribe();
  });

  it('refuses a subscription the owning subgraph forbids, subscribing nothing', async () => {
    const { ended, payloads } = watch(connect(bearer(ada)), { id: 'o2' });
    const errors = (await ended) as { extensions?: { code?: string } }[];
    expect(errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(payloads).toEqual([]);
    expect(live.count('orderUpdated.o2')).toBe(0);
  });

  it('shares one pub/sub subscription and one resolution per change among identical subscriptions, freed with the last', async () => {
    const watchers = [0, 1, 2, 3, 4].map(() => watch(connect(bearer(ada)), { id: 'o1' }));
    await until(() => watchers.every((w) => w.payloads.length === 1));
    expect(live.count('orderUpdated.o1')).toBe(1);
    expect(gateway.subscriptionStats()).toMatchObject({ shared: 1, subscribers: 5 });

    const before = { resolutions: gateway.subscriptionStats().resolutions, subgraph: resolveCalls.count };
    orders.get('o1')!.status = 'RETURNED';
    await live.publish('orderUpdated.o1', { orderId: 'o1' });
    await until(() => watchers.every((w) => w.payloads.length === 2));
    expect(watchers.map((w) => (w.payloads[1]?.data?.orderUpdated as { status: string }).status)).toEqual(Array(5).fill('RETURNED'));
    expect(gateway.subscriptionStats().resolutions - before.resolutions).toBe(1);
    expect(resolveCalls.count - before.subgraph).toBe(1);

    for (const w of watchers.slice(1)) w.unsubscribe();
    await until(() => gateway.subscriptionStats().subscribers === 1);
    expect(live.count('orderUpdated.o1')).toBe(1);
    watchers[0]!.unsubscribe();
    await until(() => live.count('orderUpdated.o1') === 0);
    expect(gateway.subscriptionStats()).toMatchObject({ shared: 0, subscribers: 0 });
  });

  it('drops a message whose sequence is not newer than one already resolved on its channel', async () => {
    const { payloads, unsubscribe } = watch(connect(bearer(ada)), { id: 'o1' });
    await until(() => payloads.length === 1);
    const before = gateway.subscriptionStats().resolutions;
    orders.get('o1')!.status = 'LOST';
    await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 7 });
    await until(() => payloads.length === 2);
    orders.get('o1')!.status = 'FOUND';
    await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 7 });
    await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 8 });
    await until(() => payloads.length === 3);
    expect(gateway.subscriptionStats().resolutions - before).toBe(2);
    unsubscribe();
  });

  describe('in the order of the changes the owning subgraph counts', () => {
    const counted = `subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id sequence } }`;
    const sequencesOf = (payloads: FormattedExecutionResult<Record<string, unknown>, unknown>[]) =>
      payloads.map((p) => (p.data?.orderUpdated as { sequence: number | null }).sequence);

    function watchCounted(at: number | undefined) {
      if (at === undefined) delete orders.get('o1')!.sequence;
      else orders.get('o1')!.sequence = at;
      const payloads: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
      const client = connect(bearer(ada));
      const unsubscribe = client.subscribe({ query: counted, variables: { id: 'o1' } }, { next: (p) => void payloads.push(p), error: () => undefined, complete: () => undefined });
      return { payloads, unsubscribe };
    }

    afterEach(() => {
      delete orders.get('o1')!.sequence;
    });

    it('resolves the changes a message skipped before it, and drops their own messages when they come late', async () => {
      const { payloads, unsubscribe } = watchCounted(undefined);
      await until(() => payloads.length === 1);
      const before = resolvedMessages.length;
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 11 });
      await until(() => payloads.length === 2);
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 14 });
      await until(() => payloads.length === 5);
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 12 });
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 15 });
      await until(() => payloads.length === 6);
      expect(sequencesOf(payloads)).toEqual([null, 11, 12, 13, 14, 15]);
      // 12's own message came after 14 was resolved: dropped on arrival, never resolved.
      expect(resolvedMessages.slice(before)).toEqual([
        { orderId: 'o1', sequence: 11 },
        { orderId: 'o1', sequence: 14 },
        { orderId: 'o1', sequence: 12 },
        { orderId: 'o1', sequence: 13 },
        { orderId: 'o1', sequence: 15 },
      ]);
      unsubscribe();
    });

    it('resolves the changes between the current state it sent and the first message that skips past it', async () => {
      const { payloads, unsubscribe } = watchCounted(30);
      await until(() => payloads.length === 1);
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 33 });
      await until(() => payloads.length === 4);
      expect(sequencesOf(payloads)).toEqual([30, 31, 32, 33]);
      unsubscribe();
    });

    it('sends a current state that runs ahead of the changes\' own messages after those changes, and those messages not again', async () => {
      const { payloads, unsubscribe } = watchCounted(40);
      await until(() => payloads.length === 1);
      orders.get('o1')!.sequence = 42;
      // Another service's message names only the order: it shows the order as it is now.
      await live.publish('orderUpdated.o1', { orderId: 'o1' });
      await until(() => payloads.length === 3);
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 41 });
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 42 });
      orders.get('o1')!.sequence = 43;
      await live.publish('orderUpdated.o1', { orderId: 'o1', sequence: 43 });
      await until(() => payloads.length === 4);
      expect(sequencesOf(payloads)).toEqual([40, 41, 42, 43]);
      unsubscribe();
    });
  });

  it('sets up no subscription its client ended while it waited for a set-up slot', async () => {
    let open = () => undefined as void;
    authorizations.gate = new Promise<void>((resolve) => (open = resolve));
    const client = connect(bearer(ada));
    const before = authorizations.count;
    // 32 set-ups at once per owning subgraph: these take every slot and wait at the subgraph.
    const waiting = Array.from({ length: 32 }, () => watch(client, { id: 'o1' }));
    await until(() => authorizations.count === before + 32);
    const gaveUp = watch(client, { id: 'o1' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    gaveUp.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 100));
    authorizations.gate = null;
    open();
    await until(() => waiting.every((w) => w.payloads.length === 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(authorizations.count).toBe(before + 32);
    expect(gaveUp.payloads).toEqual([]);
    for (const w of waiting) w.unsubscribe();
  });

  it('closes the connection of a caller with a bad token with 4403 Forbidden', async () => {
    let closedWith: number | undefined;
    const client = connect({ authorization: 'Bearer not.a.jwt' }, (code) => (closedWith = code));
    const { ended } = watch(client, { id: 'o1' });
    await ended;
    expect(closedWith).toBe(4403);
  });

  it('ends the connection with 4403 when the token that opened it expires', async () => {
    let closedWith: number | undefined;
    // Two seconds (JWT expiry has whole seconds), so the token is still good when the connection opens.
    const shortLived = signAccessToken(ada, jwt, 2);
    const client = connect({ authorization: `Bearer ${shortLived}` }, (code) => (closedWith = code));
    const { payloads, ended } = watch(client, { id: 'o1' });
    await until(() => payloads.length === 1);
    expect(closedWith).toBeUndefined();
    await ended;
    // The stream's own end (an UNAUTHENTICATED error) may arrive just before the close frame.
    await until(() => closedWith !== undefined);
    expect(closedWith).toBe(4403);
  });

  it('reports an invalid subscription document as a graphql-ws error', async () => {
    const client = connect(bearer(ada));
    const errors = await new Promise<unknown>((resolve) =>
      client.subscribe({ query: 'subscription { orderUpdated(orderId: "o1") { nope } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) }),
    );
    expect((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
