/** A shop as the repositories return it: a plain object, never a TypeORM instance. */
export interface ShopRow {
  id: string;
  /** A users-subgraph user id; catalog never reads the users tables. */
  ownerId: string;
  name: string;
  lowStockThreshold: number;
  createdAt: Date;
}

export interface CategoryRow {
  id: string;
  name: string;
}

export interface ProductRow {
  id: string;
  shopId: string;
  categoryId: string | null;
  name: string;
  description: string | null;
  priceCents: number;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}

export const reservationStatuses = ['RESERVED', 'RELEASED', 'REJECTED', 'CANCELLED'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/** One product's quantity held (or asked for) by an order. */
export interface ReservationLine {
  productId: string;
  quantity: number;
}

/** Stock held for one order; the migration's CHECK lists the same statuses. */
export interface ReservationRow {
  orderId: string;
  status: ReservationStatus;
  /** What was asked for, one line per product; empty for an order cancelled before it was placed. */
  items: ReservationLine[];
  createdAt: Date;
  updatedAt: Date;
}

/** A product's stock as the saga changes it, with its shop's alert threshold. */
export interface StockRow {
  productId: string;
  shopId: string;
  stock: number;
  lowStockThreshold: number;
}
