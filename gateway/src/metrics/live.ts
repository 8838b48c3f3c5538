import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Counter, Gauge, type Registry } from 'prom-client';
import { metricPrefix } from '@commerce/service-kit';
import type { SubscriptionStats } from '../subscriptions/hub';

const transports = ['websocket', 'sse', 'multipart'] as const;
export type Transport = (typeof transports)[number];

/** Open subscription connections by transport: WebSockets, and SSE and multipart responses still streaming. */
export class ConnectionMetrics {
  private readonly open: Gauge<'transport'>;

  constructor(registry: Registry) {
    this.open = new Gauge({
      name: `${metricPrefix}gateway_connections`,
      help: 'Open subscription connections, by transport (websocket, sse, multipart).',
      labelNames: ['transport'],
      registers: [registry],
    });
    // Every transport reports from the start, so a dashboard shows 0 rather than no data.
    for (const transport of transports) this.open.set({ transport }, 0);
  }

  /** Counts a response (or an upgraded socket) as an open connection of `transport` until it closes. */
  track(transport: Transport, connection: ServerResponse | Duplex): void {
    this.open.inc({ transport });
    connection.once('close', () => this.open.dec({ transport }));
  }

  /** Counts every socket upgraded on `path` (graphql-ws's) until it closes; a refused handshake only for as long as it lasts. */
  trackWebSockets(server: Server, path: string): void {
    server.on('upgrade', (req, socket: Duplex) => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname === path) this.track('websocket', socket);
    });
  }
}

/**
 * The subscription hub's figures, read when Prometheus scrapes: subscribers,
 * shared subscriptions, and resolutions (a counter, since the hub counts them
 * from start).
 */
export function registerSubscriptionMetrics(registry: Registry, stats: () => SubscriptionStats): void {
  const registers = [registry];
  new Gauge({
    name: `${metricPrefix}gateway_subscribers`,
    help: "Clients' live subscription streams, over every transport.",
    registers,
    collect() {
      this.set(stats().subscribers);
    },
  });
  new Gauge({
    name: `${metricPrefix}gateway_shared_subscriptions`,
    help: 'Distinct live subscriptions: identical ones share one pub/sub subscription and one resolution per change.',
    registers,
    collect() {
      this.set(stats().shared);
    },
  });
  let counted = 0;
  new Counter({
    name: `${metricPrefix}gateway_subscription_resolutions_total`,
    help: 'Published changes resolved: once per shared subscription, however many subscribe to it.',
    registers,
    collect() {
      const { resolutions } = stats();
      if (resolutions > counted) this.inc(resolutions - counted);
      counted = resolutions;
    },
  });
}
