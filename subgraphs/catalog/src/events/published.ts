import {
  createEvent,
  domainEvent,
  type EventEnvelope,
  type InventoryChanged,
  type ProductChanged,
  type ShopChanged,
} from '@commerce/events';
import type { ProductRow, ShopRow } from '../data/rows';

/** Announces a created or edited shop (orders keeps a read model of shops). */
export function shopChangedEvent(shop: ShopRow): EventEnvelope<'catalog.shop.changed', ShopChanged> {
  return createEvent('catalog.shop.changed', shop.id, { shopId: shop.id, ownerId: shop.ownerId, name: shop.name });
}

/** Announces a created or edited product. Stock is not part of it: stock changes are not product edits. */
export function productChangedEvent(product: ProductRow): EventEnvelope<'catalog.product.changed', ProductChanged> {
  return createEvent('catalog.product.changed', product.id, {
    productId: product.id,
    shopId: product.shopId,
    name: product.name,
    priceCents: product.priceCents,
  });
}

export type StockChangeReason = InventoryChanged['reason'];

export interface StockChange {
  productId: string;
  shopId: string;
  previousStock: number;
  stock: number;
  lowStockThreshold: number;
}

/** Stock at or under the threshold now, and above it before: an alert fires once per crossing. */
export function crossesLowStock(previousStock: number, stock: number, threshold: number): boolean {
  return previousStock > threshold && stock <= threshold;
}

/**
 * The events of one product's stock change: always `inventory.changed`, plus
 * `inventory.low_stock` when the change crossed its shop's threshold downward.
 * Both have the product as aggregate, so the relay keeps them in order per product.
 */
export function stockChangeEvents(change: StockChange, reason: StockChangeReason, orderId: string | null): EventEnvelope[] {
  const { productId, shopId, previousStock, stock, lowStockThreshold } = change;
  const events: EventEnvelope[] = [
    domainEvent('inventory.changed', productId, { productId, shopId, previousStock, stock, reason, orderId }),
  ];
  if (crossesLowStock(previousStock, stock, lowStockThreshold)) {
    events.push(domainEvent('inventory.low_stock', productId, { productId, shopId, stock, threshold: lowStockThreshold }));
  }
  return events;
}
