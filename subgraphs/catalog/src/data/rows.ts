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
