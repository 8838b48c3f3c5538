import { createEvent, type EventEnvelope, type ProductChanged, type ShopChanged } from '@commerce/events';
import type { ProductRow, ShopRow } from '../data/rows';

/** The Postgres schema whose outbox table holds catalog's events. */
export const outboxSchema = 'catalog';

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
