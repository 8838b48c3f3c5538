import { EntitySchema } from 'typeorm';
import type { CategoryRow, ProductRow, ShopRow } from './rows';

// EntitySchema rather than decorators: rows stay plain interfaces, and no
// decorator metadata is needed at run time. Timestamps are filled by column
// defaults in the migration (see there for their precision).
export const ShopEntity = new EntitySchema<ShopRow>({
  name: 'Shop',
  tableName: 'shops',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    ownerId: { type: 'uuid', name: 'owner_id' },
    name: { type: 'text' },
    lowStockThreshold: { type: 'int', name: 'low_stock_threshold' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});

export const CategoryEntity = new EntitySchema<CategoryRow>({
  name: 'Category',
  tableName: 'categories',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'text' },
  },
});

export const ProductEntity = new EntitySchema<ProductRow>({
  name: 'Product',
  tableName: 'products',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    shopId: { type: 'uuid', name: 'shop_id' },
    categoryId: { type: 'uuid', name: 'category_id', nullable: true },
    name: { type: 'text' },
    description: { type: 'text', nullable: true },
    priceCents: { type: 'int', name: 'price_cents' },
    stock: { type: 'int' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});

export const entities = [ShopEntity, CategoryEntity, ProductEntity];
