import { z } from 'zod';

const id = z.string().uuid();
const lines = z.array(z.object({ productId: id, quantity: z.number().int().positive() })).min(1);

/** catalog → payments (authorize), orders: stock for every item of the order is held. */
export const inventoryReserved = z.object({ orderId: id, items: lines });
export type InventoryReserved = z.infer<typeof inventoryReserved>;

/** catalog → orders (REJECTED), payments (never charge): at least one item is short; nothing was held. */
export const inventoryRejected = z.object({
  orderId: id,
  reason: z.string(),
  /** The products that were short (or unknown). */
  productIds: z.array(id),
});
export type InventoryRejected = z.infer<typeof inventoryRejected>;

/** catalog → subscribers: any stock change (reservation, release, restock, edit). */
export const inventoryChanged = z.object({
  productId: id,
  shopId: id,
  previousStock: z.number().int().nonnegative(),
  stock: z.number().int().nonnegative(),
  reason: z.enum(['RESERVED', 'RELEASED', 'RESTOCKED', 'EDITED', 'CREATED']),
  /** The order that caused it, for reservations and releases. */
  orderId: id.nullable(),
});
export type InventoryChanged = z.infer<typeof inventoryChanged>;

/** catalog → the shop owner: a product's stock fell to or under the shop's threshold. */
export const inventoryLowStock = z.object({
  productId: id,
  shopId: id,
  stock: z.number().int().nonnegative(),
  threshold: z.number().int().nonnegative(),
});
export type InventoryLowStock = z.infer<typeof inventoryLowStock>;
