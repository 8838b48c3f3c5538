import type { EventBus, EventEnvelope } from '@commerce/events';
import { orderStatusChanged, shipmentUpdated } from '@commerce/events';
import type { Logger } from '@commerce/service-kit';
import { ActorClient } from './actor-client';
import { route } from './route';

export interface SimulatorOptions {
  bus: EventBus;
  gatewayUrl: string;
  /** Acts for every shop (an ADMIN may make any allowed transition). */
  shop: { email: string; password: string };
  courier: { email: string; password: string };
  /** Pause before each step, in ms. */
  stepDelayMs: number;
  /** Position reports between pickup and delivery. */
  positionsPerTrip?: number;
  logger: Logger;
}

export interface Simulator {
  stop(): Promise<void>;
}

const moveOrder = `mutation ($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;
const depot = { lat: 52.52, lng: 13.405 };
const customer = { lat: 52.5, lng: 13.45 };

/**
 * Demo actors for the quickstart, so an order placed in the explorer reaches
 * DELIVERED by itself: a shop that prepares every confirmed order and a courier
 * who takes every waiting shipment. They listen to the same domain events as
 * the services and act only through the public graph, as real users would.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const shop = new ActorClient(options.gatewayUrl, options.shop.email, options.shop.password);
  const courier = new ActorClient(options.gatewayUrl, options.courier.email, options.courier.password);
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const pause = () =>
    new Promise<void>((resolve, reject) => {
      if (stopped) return reject(new Error('simulator stopped'));
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, options.stepDelayMs);
      timers.add(timer);
    });

  // Each script runs detached from the event handler, which acknowledges at once.
  const run = (what: string, script: () => Promise<void>) => {
    script().catch((error: unknown) => {
      if (!stopped) options.logger.warn({ err: error }, `simulator: ${what} stopped`);
    });
  };

  const prepare = async (orderId: string) => {
    for (const status of ['PREPARING', 'READY_FOR_PICKUP']) {
      await pause();
      await shop.call(moveOrder, { id: orderId, status });
    }
  };

  const deliver = async (shipmentId: string) => {
    await pause();
    await courier.call(`mutation ($id: ID!) { acceptShipment(id: $id) { status } }`, { id: shipmentId });
    await pause();
    await courier.call(`mutation ($id: ID!) { pickUpShipment(id: $id) { status } }`, { id: shipmentId });
    for (const point of route(depot, customer, options.positionsPerTrip ?? 3)) {
      await pause();
      await courier.call(`mutation ($id: ID!, $lat: Float!, $lng: Float!) { reportPosition(shipmentId: $id, lat: $lat, lng: $lng) { status } }`, {
        id: shipmentId,
        ...point,
      });
    }
    await pause();
    await courier.call(`mutation ($id: ID!) { deliverShipment(id: $id) { status } }`, { id: shipmentId });
  };

  const handle = async (event: EventEnvelope) => {
    if (stopped) return;
    if (event.type === 'order.status_changed') {
      const change = orderStatusChanged.parse(event.payload);
      if (change.to === 'CONFIRMED') run(`preparing order ${change.orderId}`, () => prepare(change.orderId));
    } else if (event.type === 'shipment.updated') {
      const update = shipmentUpdated.parse(event.payload);
      if (update.status === 'WAITING_FOR_COURIER') run(`delivering shipment ${update.shipmentId}`, () => deliver(update.shipmentId));
    }
  };

  await options.bus.subscribe({ queue: 'simulator.demo', bindings: ['order.status_changed', 'shipment.updated'], handle });
  options.logger.info({ stepDelayMs: options.stepDelayMs }, 'simulator running');
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
