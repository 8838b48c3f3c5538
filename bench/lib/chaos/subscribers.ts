import { WebSocket, type RawData } from 'ws';
import { sleep } from './ports';
import { finalStatuses } from './workload';

/** One subscription's life on one socket: from `subscribe` to complete, error or a lost socket. */
export interface Segment {
  gateway: number;
  subscribedAt: number;
  /** Each `next` payload as received: for orderUpdated the status history it carried, for inventory one change. */
  messages: string[];
  /** When each of `messages` arrived (ms since the epoch). */
  times: number[];
  /** `next` payloads that carried errors instead of data. */
  errorPayloads: string[];
  /**
   * complete-early: the server completed the stream before the final status; silent: no current state
   * within silentAfterMs. The client subscribed again after either.
   */
  end: 'complete' | 'complete-early' | 'silent' | 'closed' | 'error' | 'stopped' | null;
  error?: string;
}

/** One subscriber watching one order, until the server completes the stream (a final status) or the run ends. */
export interface OrderWatch {
  subscriber: number;
  orderId: string;
  segments: Segment[];
}

export interface InventoryWatch {
  subscriber: number;
  segments: Segment[];
}

/** A socket lost (the gateway died) and how long until the subscription was back: for orderUpdated the first `next` (the current state), for inventory the acknowledgement. */
export interface Reconnect {
  kind: 'order' | 'inventory';
  lostAt: number;
  /** connection_ack on the new socket. */
  connectedAt: number | null;
  restoredAt: number | null;
  /** How the new socket was reached: each try, `gateway-N ok|<why it failed> after <ms>`. */
  attempts?: string[];
}

interface Connection {
  socket: WebSocket;
  gateway: number;
}

type Handler = {
  onNext(payload: { data?: unknown; errors?: unknown[] }): void;
  onComplete(): void;
  onError(detail: string): void;
};

/**
 * One graphql-transport-ws client on raw `ws` (light enough for a thousand in
 * this process) that survives its gateway: when the socket drops it opens a
 * new one, to the other gateway first, and subscribes again. Subscriptions are
 * numbered so a late message of an old one is never taken for the new.
 */
class ResilientSocket {
  private connection: Connection | null = null;
  private connecting: Promise<Connection> | null = null;
  private readonly handlers = new Map<string, Handler>();
  private serial = 0;
  private closed = false;
  /** The tries of the last open(), for the report. */
  attempts: string[] = [];
  onLost: (() => void) | null = null;

  constructor(
    private readonly urls: string[],
    private readonly token: string,
    private gateway: number,
  ) {}

  get connected(): boolean {
    return this.connection !== null;
  }

  async connect(): Promise<Connection> {
    if (this.connection) return this.connection;
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<Connection> {
    this.attempts = [];
    for (let attempt = 0; !this.closed; attempt++) {
      const gateway = (this.gateway + attempt) % this.urls.length;
      const started = Date.now();
      const socket = await this.handshake(this.urls[gateway]!).catch((error: Error) => {
        this.attempts.push(`gateway-${gateway + 1} ${error.message} after ${Date.now() - started} ms`);
        return null;
      });
      if (socket) {
        this.attempts.push(`gateway-${gateway + 1} ok after ${Date.now() - started} ms`);
        this.gateway = gateway;
        this.connection = { socket, gateway };
        socket.on('message', (data: RawData) => this.onMessage(socket, data));
        socket.on('close', () => {
          if (this.connection?.socket !== socket) return;
          this.connection = null;
          // The other gateway first: a dead gateway's port is still held by the cluster primary, which
          // accepts the connection and keeps it waiting until a replacement worker listens.
          this.gateway = (gateway + 1) % this.urls.length;
          if (!this.closed) this.onLost?.();
        });
        return this.connection;
      }
      // Both gateways refused: one is restarting and the other is busy taking everyone in.
      if (attempt % this.urls.length === this.urls.length - 1) await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
    throw new Error('closed');
  }

  private handshake(url: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false, handshakeTimeout: 10_000 });
      const timer = setTimeout(() => fail(new Error('no connection_ack within 30 s')), 30_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${this.token}` } })));
      socket.on('error', fail);
      socket.on('close', () => fail(new Error('closed during the handshake')));
      socket.once('message', (data: RawData) => {
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type !== 'connection_ack') return fail(new Error(`expected connection_ack, got ${message.type}`));
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        resolve(socket);
      });
    });
  }

  private onMessage(socket: WebSocket, data: RawData): void {
    const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
    if (message.type === 'ping') {
      socket.send(JSON.stringify({ type: 'pong' }));
      return;
    }
    const handler = message.id ? this.handlers.get(message.id) : undefined;
    if (!handler) return;
    if (message.type === 'next') handler.onNext(message.payload as { data?: unknown; errors?: unknown[] });
    else if (message.type === 'complete') {
      this.handlers.delete(message.id!);
      handler.onComplete();
    } else if (message.type === 'error') {
      this.handlers.delete(message.id!);
      handler.onError(JSON.stringify(message.payload).slice(0, 300));
    }
  }

  /** Sends `subscribe` on the current socket; the handlers hear only this subscription. */
  subscribe(connection: Connection, query: string, variables: Record<string, unknown>, handler: Handler): string {
    const id = String(++this.serial);
    this.handlers.set(id, handler);
    connection.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return id;
  }

  /** Ends one subscription from this side (graphql-ws `complete`), if its socket is still there. */
  unsubscribe(connection: Connection, id: string): void {
    if (!this.handlers.delete(id)) return;
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(JSON.stringify({ id, type: 'complete' }));
  }

  /** Forgets every subscription (their socket is gone). */
  dropAll(): Handler[] {
    const all = [...this.handlers.values()];
    this.handlers.clear();
    return all;
  }

  async close(): Promise<void> {
    this.closed = true;
    const socket = this.connection?.socket;
    this.connection = null;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1000);
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 3_000).unref();
    });
  }
}

/** How long an orderUpdated subscriber waits for the current state before it subscribes again. */
const silentAfterMs = 30_000;

const orderSubscription = `subscription ($id: ID!) { orderUpdated(orderId: $id) { id status history { status } } }`;
const inventorySubscription = `subscription ($shopId: ID!) { inventoryChanged(shopId: $shopId) { product { id } previousStock stock reason } }`;

export interface SubscriberFleet {
  orderWatches: OrderWatch[];
  inventoryWatches: InventoryWatch[];
  reconnects: Reconnect[];
  /** The first time any subscriber received a live message at or after `at`; null if none came within `timeoutMs`. */
  firstMessageAfter(at: number, timeoutMs: number): Promise<number | null>;
  /** Stops order subscribers from taking new orders; current watches go on until their stream completes. */
  stopPicking(): void;
  /** Every order watch has received its final status (and, but for stragglers, been completed), or false at the deadline. */
  watchesDone(deadline: number): Promise<boolean>;
  /** True once every subscriber holds a live socket (after a restart, they are all back). */
  allConnected(): boolean;
  connectedCount(): number;
  close(): Promise<void>;
}

export interface FleetOptions {
  gatewayUrls: string[];
  orderSubscribers: number;
  inventorySubscribers: number;
  /** orderUpdated subscribers connect as the shop owner, who may watch every order of the shop. */
  ownerToken: string;
  inventoryTokens: string[];
  shopId: string;
  /** Orders not yet final, to pick from. */
  activeOrders(): { id: string }[];
}

/**
 * The live subscribers, spread over both gateways: orderUpdated subscribers,
 * each watching one live order (the least watched) until its stream completes
 * and then the next, and inventoryChanged subscribers on the whole shop. What
 * every one of them received is kept per subscription segment for the check.
 */
export async function startFleet(options: FleetOptions): Promise<SubscriberFleet> {
  const orderWatches: OrderWatch[] = [];
  const inventoryWatches: InventoryWatch[] = [];
  const reconnects: Reconnect[] = [];
  const watchers = new Map<string, number>();
  const sockets: ResilientSocket[] = [];
  const loops: Promise<void>[] = [];
  let picking = true;
  let stopped = false;
  const stopHooks = new Set<() => void>();
  const receivedAt: number[] = [];

  /** Resolves when the subscription ends: complete, or stopped. A lost socket or an error subscribes again, as a new segment. */
  const follow = async (
    socket: ResilientSocket,
    kind: Reconnect['kind'],
    segments: Segment[],
    query: string,
    variables: Record<string, unknown>,
    format: (data: unknown) => string,
    /** Whether a formatted message ends the stream by contract (a final status); a stream the server completes before one is subscribed again. */
    isFinal: (message: string) => boolean = () => true,
  ): Promise<void> => {
    let lost: Reconnect | null = null;
    while (!stopped) {
      // After a lost socket, a moment's jitter: the dead gateway's subscribers all reconnect to the other one at once.
      if (lost) await sleep(Math.random() * 1_000);
      const connection = await socket.connect().catch(() => null);
      if (!connection) return;
      if (lost && lost.connectedAt === null) {
        lost.connectedAt = Date.now();
        lost.attempts = [...socket.attempts];
      }
      const segment: Segment = { gateway: connection.gateway, subscribedAt: Date.now(), messages: [], times: [], errorPayloads: [], end: null };
      segments.push(segment);
      let stopHook = () => undefined as void;
      const ended = await new Promise<Segment['end']>((resolve) => {
        socket.onLost = () => {
          socket.dropAll();
          resolve('closed');
        };
        stopHook = () => resolve('stopped');
        stopHooks.add(stopHook);
        const id = socket.subscribe(connection, query, variables, {
          onNext: (payload) => {
            clearTimeout(silence);
            receivedAt.push(Date.now());
            if (payload.errors?.length || !payload.data) {
              segment.errorPayloads.push(JSON.stringify(payload.errors ?? payload).slice(0, 300));
              // The gateway could not resolve a change for us: what it was is lost, so a careful client
              // subscribes again for the current state (orderUpdated has one; inventory changes do not).
              if (kind === 'order') {
                socket.unsubscribe(connection, id);
                resolve('error');
              }
            } else {
              segment.messages.push(format(payload.data));
              segment.times.push(Date.now());
            }
            if (lost && kind === 'order' && lost.restoredAt === null) lost.restoredAt = Date.now();
          },
          onComplete: () => resolve('complete'),
          onError: (detail) => {
            segment.error = detail;
            resolve('error');
          },
        });
        // orderUpdated sends the current state first: a subscription still silent long after is given up and made again.
        const silence = setTimeout(() => {
          // An error payload alone (the current state could not be read) is no current state either.
          if (kind !== 'order' || segment.messages.length > 0) return;
          socket.unsubscribe(connection, id);
          resolve('silent');
        }, silentAfterMs);
        if (lost && kind === 'inventory') lost.restoredAt = Date.now();
      });
      stopHooks.delete(stopHook);
      segment.end = ended;
      if (ended === 'stopped') return;
      if (ended === 'complete') {
        if (segment.messages.some(isFinal)) return;
        // Completed without the final status (after an error payload): a careful client subscribes again.
        segment.end = 'complete-early';
        await sleep(500);
        continue;
      }
      if (ended === 'silent') {
        await sleep(500);
        continue;
      }
      if (ended === 'closed') {
        lost = { kind, lostAt: Date.now(), connectedAt: null, restoredAt: null };
        reconnects.push(lost);
      } else await sleep(500);
    }
  };

  const orderLoop = async (subscriber: number, socket: ResilientSocket) => {
    while (picking && !stopped) {
      const candidates = options.activeOrders();
      if (candidates.length === 0) {
        await sleep(200);
        continue;
      }
      // The least watched of the newest few, so that watches spread over the live orders.
      const pick = candidates.slice(-50).reduce((best, order) => ((watchers.get(order.id) ?? 0) < (watchers.get(best.id) ?? 0) ? order : best));
      watchers.set(pick.id, (watchers.get(pick.id) ?? 0) + 1);
      const watch: OrderWatch = { subscriber, orderId: pick.id, segments: [] };
      orderWatches.push(watch);
      await follow(socket, 'order', watch.segments, orderSubscription, { id: pick.id }, (data) => {
        const order = (data as { orderUpdated: { status: string; history: { status: string }[] } }).orderUpdated;
        return `${order.history.map((change) => change.status).join('>')}|${order.status}`;
      }, (message) => finalStatuses.has(message.split('|')[1] ?? ''));
    }
  };

  const inventoryLoop = async (subscriber: number, socket: ResilientSocket) => {
    const watch: InventoryWatch = { subscriber, segments: [] };
    inventoryWatches.push(watch);
    await follow(socket, 'inventory', watch.segments, inventorySubscription, { shopId: options.shopId }, (data) => {
      const change = (data as { inventoryChanged: { product: { id: string }; previousStock: number; stock: number; reason: string } }).inventoryChanged;
      return `${change.product.id}|${change.previousStock}|${change.stock}|${change.reason}`;
    });
  };

  // Every socket is open before the load starts, a few dozen handshakes at a time, so neither gateway's accept queue overflows.
  const loopsToStart: ((socket: ResilientSocket) => Promise<void>)[] = [
    ...Array.from({ length: options.inventorySubscribers }, (_, i) => (socket: ResilientSocket) => inventoryLoop(i, socket)),
    ...Array.from({ length: options.orderSubscribers }, (_, i) => (socket: ResilientSocket) => orderLoop(i, socket)),
  ];
  const tokenOf = (index: number) =>
    index < options.inventorySubscribers ? options.inventoryTokens[index % options.inventoryTokens.length]! : options.ownerToken;
  let next = 0;
  const starter = async () => {
    for (let index = next++; index < loopsToStart.length; index = next++) {
      const socket = new ResilientSocket(options.gatewayUrls, tokenOf(index), index % options.gatewayUrls.length);
      sockets.push(socket);
      await socket.connect().catch(() => undefined);
      loops.push(loopsToStart[index]!(socket));
    }
  };
  await Promise.all(Array.from({ length: 25 }, starter));

  return {
    orderWatches,
    inventoryWatches,
    reconnects,
    async firstMessageAfter(at, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = receivedAt.find((time) => time >= at);
        if (found !== undefined) return found;
        if (Date.now() >= deadline) return null;
        await sleep(100);
      }
    },
    stopPicking() {
      picking = false;
    },
    async watchesDone(deadline) {
      // Done once every watch has the final status; the server's completion is waited for a little longer, not to the deadline.
      const sawFinal = (watch: OrderWatch) => watch.segments.some((segment) => segment.messages.some((message) => finalStatuses.has(message.split('|')[1] ?? '')));
      const completed = (watch: OrderWatch) => watch.segments.at(-1)?.end === 'complete';
      let allFinalAt: number | null = null;
      for (;;) {
        if (orderWatches.every(completed)) return true;
        if (allFinalAt === null && orderWatches.every((watch) => completed(watch) || sawFinal(watch))) allFinalAt = Date.now();
        if (allFinalAt !== null && Date.now() - allFinalAt > 15_000) return true;
        if (Date.now() >= deadline) return false;
        await sleep(250);
      }
    },
    allConnected: () => sockets.every((socket) => socket.connected),
    connectedCount: () => sockets.filter((socket) => socket.connected).length,
    async close() {
      stopped = true;
      picking = false;
      for (const hook of stopHooks) hook();
      await Promise.all(sockets.map((socket) => socket.close()));
      await Promise.allSettled(loops);
    },
  };
}
