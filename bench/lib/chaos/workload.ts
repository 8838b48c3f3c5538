import type { GatewayClient } from './client';
import { sleep } from './ports';
import { seededRng, type Rng } from './rng';
import type { ChaosWorld } from './seed';

/** What the customer meant to happen to an order; the audit checks its final status against it. */
export type Plan = 'deliver' | 'cancel-confirmed' | 'cancel-preparing' | 'cancel-ready' | 'decline';

export interface TrackedOrder {
  id: string;
  customer: number;
  items: { productId: string; quantity: number }[];
  plan: Plan;
  /** Found in the database after its placeOrder answer was lost: driven to delivery, with no plan to hold it to. */
  adopted: boolean;
  /** The last status the lifecycle saw. */
  status: string;
  done: boolean;
}

export interface Workload {
  orders: Map<string, TrackedOrder>;
  /** placeOrder calls whose outcome is unknown (no answer, an untyped error), per customer: each may have created one order. */
  ambiguousPlacements: Map<number, number>;
  placeFailures: number;
  /** Takes on an order whose placeOrder answer was lost, and drives it to delivery. */
  adopt(order: { id: string; customer: number; items: TrackedOrder['items'] }): void;
  /** Live orders, newest last, for subscribers to watch. */
  active(): TrackedOrder[];
  /** Stops placing orders; the lifecycles go on. */
  stopPlacing(): void;
  /** Resolves when the customers have stopped placing and every placeOrder call has its answer. */
  placed(): Promise<void>;
  /** Resolves when every lifecycle has reached a final status, or false at the deadline. */
  settled(deadline: number): Promise<boolean>;
  /** Ends every lifecycle at once. */
  abort(): void;
}

export const finalStatuses = new Set(['DELIVERED', 'CANCELLED', 'REJECTED']);

const placeOrderMutation = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const readOrder = `query ($id: ID!) { order(id: $id) { status shipment { id status } } }`;
const moveOrder = `mutation ($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;
const cancelOrder = `mutation ($id: ID!) { cancelOrder(id: $id) { status } }`;
const shipmentStep = (field: string) => `mutation ($id: ID!) { ${field}(id: $id) { status } }`;

function choosePlan(rng: Rng): Plan {
  const roll = rng.next();
  if (roll < 0.06) return 'decline';
  if (roll < 0.12) return 'cancel-confirmed';
  if (roll < 0.17) return 'cancel-preparing';
  if (roll < 0.2) return 'cancel-ready';
  return 'deliver';
}

/**
 * Customers placing orders in a closed loop, each with a think time, and for
 * every order placed a lifecycle that moves it on as its shop owner, courier
 * or customer would: it reads the order, takes the next step its plan calls
 * for, and reads again. Every step is decided from what it reads, so a step
 * that was applied although its answer was lost (a replica killed mid-request)
 * is simply not taken again.
 */
export function startWorkload(client: GatewayClient, world: ChaosWorld, seed: number, options: { thinkMs: [number, number]; stepMs: [number, number] }): Workload {
  const orders = new Map<string, TrackedOrder>();
  const ambiguousPlacements = new Map<number, number>();
  const lifecycles = new Set<Promise<void>>();
  let placing = true;
  let aborted = false;
  let placeFailures = 0;
  let counter = 0;

  const lifecycle = async (order: TrackedOrder, rng: Rng) => {
    const courier = world.couriers[order.customer % world.couriers.length]!;
    const customer = world.customers[order.customer]!;
    const owner = world.owner.token;
    while (!aborted) {
      await sleep(rng.int(...options.stepMs));
      const read = await client.call<{ order: { status: string; shipment: { id: string; status: string } | null } | null }>(readOrder, { id: order.id }, owner);
      if (!read.ok || !read.data.order) continue;
      const { status, shipment } = read.data.order;
      order.status = status;
      if (finalStatuses.has(status)) break;
      if (status === 'CONFIRMED') {
        if (order.plan === 'cancel-confirmed') await client.call(cancelOrder, { id: order.id }, customer.token);
        else await client.call(moveOrder, { id: order.id, status: 'PREPARING' }, owner);
      } else if (status === 'PREPARING') {
        if (order.plan === 'cancel-preparing') await client.call(cancelOrder, { id: order.id }, owner);
        else await client.call(moveOrder, { id: order.id, status: 'READY_FOR_PICKUP' }, owner);
      } else if (status === 'READY_FOR_PICKUP') {
        if (order.plan === 'cancel-ready') await client.call(cancelOrder, { id: order.id }, owner);
        else if (shipment?.status === 'WAITING_FOR_COURIER') await client.call(shipmentStep('acceptShipment'), { id: shipment.id }, courier.token);
        else if (shipment?.status === 'ASSIGNED') await client.call(shipmentStep('pickUpShipment'), { id: shipment.id }, courier.token);
      } else if (status === 'OUT_FOR_DELIVERY' && shipment?.status === 'PICKED_UP') {
        await client.call(shipmentStep('deliverShipment'), { id: shipment.id }, courier.token);
      }
    }
    order.done = true;
  };

  const track = (order: TrackedOrder) => {
    orders.set(order.id, order);
    const running = lifecycle(order, seededRng(seed ^ (++counter * 104729))).catch(() => undefined);
    lifecycles.add(running);
    void running.finally(() => lifecycles.delete(running));
  };

  const customerLoop = async (index: number) => {
    const rng = seededRng(seed ^ (index * 7919 + 1));
    const customer = world.customers[index]!;
    while (placing) {
      const plan = choosePlan(rng);
      const lines = rng.int(1, 2);
      const picked = new Set<number>();
      while (picked.size < lines) picked.add(rng.chance(0.25) ? 0 : rng.int(1, world.products.length - 1));
      const items = [...picked].map((i) => ({ productId: world.products[i]!.id, quantity: rng.int(1, 3) }));
      const input = { shopId: world.shopId, items, deliveryAddress: '1 Chaos Street', cardToken: plan === 'decline' ? 'tok_decline_chaos' : 'tok_visa' };
      const placed = await client.call<{ placeOrder: { id: string; status: string } }>(placeOrderMutation, { input }, customer.token);
      if (placed.ok) {
        track({ id: placed.data.placeOrder.id, customer: index, items, plan, adopted: false, status: placed.data.placeOrder.status, done: false });
      } else {
        placeFailures += 1;
        if (placed.kind === 'unknown') ambiguousPlacements.set(index, (ambiguousPlacements.get(index) ?? 0) + 1);
      }
      await sleep(rng.int(...options.thinkMs));
    }
  };
  const customers = world.customers.map((_, index) => customerLoop(index));

  return {
    orders,
    ambiguousPlacements,
    get placeFailures() {
      return placeFailures;
    },
    adopt: (order) => track({ ...order, plan: 'deliver', adopted: true, status: 'UNKNOWN', done: false }),
    active: () => [...orders.values()].filter((order) => !order.done),
    stopPlacing() {
      placing = false;
    },
    async placed() {
      await Promise.all(customers);
    },
    async settled(deadline) {
      await Promise.all(customers);
      for (;;) {
        if (lifecycles.size === 0) return true;
        if (Date.now() >= deadline) return false;
        await sleep(250);
      }
    },
    abort() {
      placing = false;
      aborted = true;
    },
  };
}
