/**
 * # The catalog read model
 *
 * orders never reads catalog's tables. It keeps its own copy of the little it
 * needs from catalog, fed by catalog's events:
 *
 * - `orders.catalog_shops` (shop id, owner, name): who owns a shop, which
 *   decides who sees and advances that shop's orders;
 * - `orders.catalog_products` (product id, shop, name, price): what placeOrder
 *   prices items at, and which shop each product belongs to.
 *
 * placeOrder prices from this copy at placement time and stores the unit price
 * on each item, so later price changes never touch placed orders. The copy may
 * lag catalog by an event; that is acceptable because catalog still has the
 * last word on stock (it reserves or rejects through the saga after
 * `order.placed`).
 *
 * Delivery is at least once and in any order. The handler is idempotent on the
 * event id (the inbox, through `handleOnce`), and each row remembers the
 * `occurredAt` of the event it reflects, so an older event arriving late is
 * ignored instead of rolling a price or an owner back.
 */
import type { DataSource } from 'typeorm';
import { handleOnce, type EventEnvelope } from '@commerce/events';
import { config } from '../config';
import { upsertCatalogProduct, upsertCatalogShop } from '../data/catalog-read-model-repository';

/** The catalog events the read model is built from; also the bindings of its queue. */
export const catalogEventTypes = ['catalog.shop.changed', 'catalog.product.changed'] as const;

export const catalogEventsQueue = 'orders.catalog-events';

/** Applies one catalog event to the read model, at most once per event id. */
export function catalogReadModelHandler(dataSource: DataSource): (event: EventEnvelope) => Promise<void> {
  // handleOnce has checked the payload against its contract by the time it calls us.
  return handleOnce(dataSource, config.name, 'orders.catalog-read-model', async (event, manager) => {
    const changedAt = new Date(event.occurredAt);
    switch (event.type) {
      case 'catalog.shop.changed':
        await upsertCatalogShop(manager, { ...event.payload, changedAt });
        return;
      case 'catalog.product.changed':
        await upsertCatalogProduct(manager, { ...event.payload, changedAt });
        return;
      default:
        // Not bound to this queue; acknowledged so a misrouted event cannot block it.
        return;
    }
  });
}
