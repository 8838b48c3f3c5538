import type { OrderStatus } from '../domain/order-lifecycle';

/** An order as the repositories return it: a plain object, never a TypeORM instance. */
export interface OrderRow {
  id: string;
  customerId: string;
  shopId: string;
  status: OrderStatus;
  totalCents: number;
  deliveryAddress: string;
  /** The courier who picked the order up (from logistics' `shipment.picked_up`); null before. */
  courierId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One line of an order, priced when the order was placed. */
export interface OrderItemRow {
  orderId: string;
  /** The line's place in the order as the customer listed it, from 0. */
  position: number;
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface StatusChangeRow {
  /** bigserial, which the driver returns as a string. */
  id: string;
  orderId: string;
  status: OrderStatus;
  reason: string | null;
  at: Date;
}

/** An order right after a status change, with the change's 1-based place in its history. */
export interface ChangedOrder {
  order: OrderRow;
  sequence: number;
}

/** orders' own copy of a catalog shop, kept current by catalog's events. */
export interface CatalogShopRow {
  shopId: string;
  ownerId: string;
  name: string;
  /** When catalog made the change this row reflects; older events are ignored. */
  changedAt: Date;
}

/** orders' own copy of a catalog product, kept current by catalog's events. */
export interface CatalogProductRow {
  productId: string;
  shopId: string;
  name: string;
  priceCents: number;
  changedAt: Date;
}

/** A user as orders knows one: the key, which the gateway completes from the users subgraph. */
export interface UserReference {
  id: string;
}
