import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendEvents, domainEvent, type OrderPlaced } from '@commerce/events';
import { domainError, ErrorCode, forbidden, notFound, type Identity } from '@commerce/service-kit';
import type { CatalogReadModelRepository } from '../data/catalog-read-model-repository';
import type { OrderRepository } from '../data/order-repository';
import type { OrderRow } from '../data/rows';
import { statusChangeEvents } from '../events/published';
import { canRead, moverFor } from './order-access';
import { decideTransition, type Mover, type OrderStatus } from './order-lifecycle';
import { moveOrder } from './order-transitions';
import { priceOrder, validatePlaceOrder, type PlaceOrderInput } from './place-order';
import { config } from '../config';

export function invalidTransition(from: OrderStatus, to: OrderStatus): Error {
  return domainError(ErrorCode.InvalidTransition, `An order cannot move from ${from} to ${to}`, { from, to });
}

function cancellationReason(mover: Mover): string {
  if (mover.parties.has('customer')) return 'Cancelled by the customer';
  if (mover.parties.has('shop')) return 'Cancelled by the shop';
  return 'Cancelled by an administrator';
}

/** The order rules the mutations apply; resolvers only unpack arguments and call these. */
export function orderService(
  db: DataSource,
  orders: OrderRepository,
  catalog: CatalogReadModelRepository,
  /** Called after a commit that appended events to the outbox. */
  eventsCommitted: () => void = () => undefined,
) {
  return {
    /**
     * Validates, prices from the catalog read model and stores a PENDING order
     * together with its `order.placed` and `order.status_changed` events, in one
     * transaction: the events are published by the outbox relay only once the
     * order exists.
     */
    async placeOrder(caller: Identity, rawInput: PlaceOrderInput): Promise<OrderRow> {
      const input = validatePlaceOrder(rawInput);
      const [shop] = await catalog.shopsByIds([input.shopId]);
      if (!shop) throw notFound('Shop', input.shopId);
      const products = await catalog.productsByIds(input.items.map((item) => item.productId));
      const priced = priceOrder(shop.shopId, input.items, products);

      const orderId = randomUUID();
      const payload: OrderPlaced = {
        orderId,
        customerId: caller.userId,
        shopId: shop.shopId,
        items: priced.items.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
        totalCents: priced.totalCents,
        cardToken: input.cardToken,
      };
      const placed = await db.transaction(async (manager) => {
        const order = await orders.insertPending(manager, {
          id: orderId,
          customerId: caller.userId,
          shopId: shop.shopId,
          totalCents: priced.totalCents,
          deliveryAddress: input.deliveryAddress,
          items: priced.items,
        });
        await appendEvents(manager, config.name, [
          domainEvent('order.placed', orderId, payload),
          // PENDING is the first row of the new order's history.
          ...statusChangeEvents(null, { order, sequence: 1 }, null),
        ]);
        return order;
      });
      eventsCommitted();
      return placed;
    },

    /**
     * Applies one move of the lifecycle for a caller: NOT_FOUND for an unknown
     * order, FORBIDDEN for one they may not read, INVALID_STATUS_TRANSITION for
     * a move the lifecycle lacks, FORBIDDEN for a move that is not theirs.
     */
    async changeStatus(caller: Identity, orderId: string, to: OrderStatus): Promise<OrderRow> {
      const [order] = await orders.findByIds([orderId]);
      if (!order) throw notFound('Order', orderId);
      const [shop] = await catalog.shopsByIds([order.shopId]);
      const mover = moverFor(caller, order, shop?.ownerId ?? null);
      if (!canRead(mover)) throw forbidden('This order is not yours');
      const decision = decideTransition(order.status, to, mover);
      if (decision === 'invalid') throw invalidTransition(order.status, to);
      if (decision === 'forbidden') throw forbidden(`You may not move an order from ${order.status} to ${to}`);

      const reason = to === 'CANCELLED' ? cancellationReason(mover) : null;
      const changed = await db.transaction((manager) => moveOrder(manager, orders, { order, to, reason }));
      if (changed) {
        eventsCommitted();
        return changed;
      }
      // Someone moved the order between our read and our write; report where it is now.
      const [current] = await orders.findByIds([orderId]);
      throw invalidTransition(current?.status ?? order.status, to);
    },
  };
}

export type OrderService = ReturnType<typeof orderService>;
