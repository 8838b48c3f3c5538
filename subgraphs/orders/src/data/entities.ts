import { EntitySchema } from 'typeorm';
import type { CatalogProductRow, CatalogShopRow, OrderItemRow, OrderRow, StatusChangeRow } from './rows';

// EntitySchema rather than decorators: rows stay plain interfaces, and no
// decorator metadata is needed at run time.
export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'Order',
  tableName: 'orders',
  columns: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid', name: 'customer_id' },
    shopId: { type: 'uuid', name: 'shop_id' },
    status: { type: 'text' },
    totalCents: { type: 'int', name: 'total_cents' },
    deliveryAddress: { type: 'text', name: 'delivery_address' },
    courierId: { type: 'uuid', name: 'courier_id', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export const OrderItemEntity = new EntitySchema<OrderItemRow>({
  name: 'OrderItem',
  tableName: 'order_items',
  columns: {
    orderId: { type: 'uuid', name: 'order_id', primary: true },
    position: { type: 'int', primary: true },
    productId: { type: 'uuid', name: 'product_id' },
    quantity: { type: 'int' },
    unitPriceCents: { type: 'int', name: 'unit_price_cents' },
  },
});

export const StatusChangeEntity = new EntitySchema<StatusChangeRow>({
  name: 'StatusChange',
  tableName: 'order_status_changes',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    orderId: { type: 'uuid', name: 'order_id' },
    status: { type: 'text' },
    reason: { type: 'text', nullable: true },
    at: { type: 'timestamptz' },
  },
});

export const CatalogShopEntity = new EntitySchema<CatalogShopRow>({
  name: 'CatalogShop',
  tableName: 'catalog_shops',
  columns: {
    shopId: { type: 'uuid', name: 'shop_id', primary: true },
    ownerId: { type: 'uuid', name: 'owner_id' },
    name: { type: 'text' },
    changedAt: { type: 'timestamptz', name: 'changed_at' },
  },
});

export const CatalogProductEntity = new EntitySchema<CatalogProductRow>({
  name: 'CatalogProduct',
  tableName: 'catalog_products',
  columns: {
    productId: { type: 'uuid', name: 'product_id', primary: true },
    shopId: { type: 'uuid', name: 'shop_id' },
    name: { type: 'text' },
    priceCents: { type: 'int', name: 'price_cents' },
    changedAt: { type: 'timestamptz', name: 'changed_at' },
  },
});

export const entities = [OrderEntity, OrderItemEntity, StatusChangeEntity, CatalogShopEntity, CatalogProductEntity];
