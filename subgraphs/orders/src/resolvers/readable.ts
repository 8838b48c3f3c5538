import type { Identity } from '@commerce/service-kit';
import type { OrderRow } from '../data/rows';
import type { Loaders } from '../loaders';
import { canRead, moverFor } from '../domain/order-access';

/** Whether the caller may read the order; the shop's owner is only looked up (batched) when it matters. */
export async function mayRead(loaders: Loaders, caller: Identity, order: OrderRow): Promise<boolean> {
  if (caller.role === 'ADMIN' || caller.userId === order.customerId || caller.userId === order.courierId) return true;
  const shop = await loaders.shop.load(order.shopId);
  return canRead(moverFor(caller, order, shop?.ownerId ?? null));
}
