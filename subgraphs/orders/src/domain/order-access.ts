import type { Identity } from '@commerce/service-kit';
import type { OrderRow } from '../data/rows';
import type { Mover, Party } from './order-lifecycle';

/**
 * How the caller relates to an order. The shop's owner comes from the catalog
 * read model (null when orders has not heard of the shop); the courier is the
 * one logistics announced when the parcel was picked up.
 */
export function moverFor(caller: Identity, order: OrderRow, shopOwnerId: string | null): Mover {
  const parties = new Set<Party>();
  if (caller.userId === order.customerId) parties.add('customer');
  if (shopOwnerId !== null && caller.userId === shopOwnerId) parties.add('shop');
  if (order.courierId !== null && caller.userId === order.courierId) parties.add('courier');
  return { parties, admin: caller.role === 'ADMIN' };
}

/** The customer, the shop's owner, the courier carrying it and admins may read an order. */
export function canRead(mover: Mover): boolean {
  return mover.admin || mover.parties.has('customer') || mover.parties.has('shop') || mover.parties.has('courier');
}

/** A user's own orders are readable by that user and by admins. */
export function canReadOrdersOf(caller: Identity, customerId: string): boolean {
  return caller.role === 'ADMIN' || caller.userId === customerId;
}

/** A shop's orders are readable by its owner and by admins. */
export function canReadOrdersOfShop(caller: Identity, shopOwnerId: string | null): boolean {
  return caller.role === 'ADMIN' || (shopOwnerId !== null && caller.userId === shopOwnerId);
}
