import { z } from 'zod';

const id = z.string().uuid();

/** orders → catalog (reserve stock), payments (open a PENDING payment): a customer placed an order. */
export const orderPlaced = z.object({
  orderId: id,
  customerId: id,
  shopId: id,
  items: z.array(z.object({ productId: id, quantity: z.number().int().positive(), unitPriceCents: z.number().int().positive() })).min(1),
  totalCents: z.number().int().positive(),
  /** The payment provider's token; only payments keeps it. */
  cardToken: z.string().min(1),
});
export type OrderPlaced = z.infer<typeof orderPlaced>;

/** orders → logistics (open a shipment): the shop has the order ready for a courier. */
export const orderReadyForPickup = z.object({
  orderId: id,
  shopId: id,
  customerId: id,
  deliveryAddress: z.string().min(1),
});
export type OrderReadyForPickup = z.infer<typeof orderReadyForPickup>;

/**
 * orders → catalog (release stock), payments (void or refund), logistics
 * (cancel the shipment): the order was cancelled before pickup.
 */
export const orderCancelled = z.object({
  orderId: id,
  /** The status it had when cancelled. */
  previousStatus: z.string(),
  reason: z.string(),
});
export type OrderCancelled = z.infer<typeof orderCancelled>;

/** orders → payments (capture): the order reached the customer. */
export const orderDelivered = z.object({ orderId: id });
export type OrderDelivered = z.infer<typeof orderDelivered>;

/**
 * orders → anyone watching orders (subscriptions, notifications): every status
 * change, with the order's owners so listeners need not look them up.
 */
export const orderStatusChanged = z.object({
  orderId: id,
  customerId: id,
  shopId: id,
  from: z.string().nullable(),
  to: z.string(),
  reason: z.string().nullable(),
  /**
   * The change's 1-based position in the order's status history (1 for the
   * new PENDING order), so a listener can tell one change from the next even
   * when it reads the order after later ones. Optional so that events
   * written before it existed, still in an outbox or queue during a deploy,
   * are not poison.
   */
  sequence: z.number().int().positive().optional(),
});
export type OrderStatusChanged = z.infer<typeof orderStatusChanged>;
