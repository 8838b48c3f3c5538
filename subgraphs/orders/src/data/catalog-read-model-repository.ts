import { In, type DataSource, type EntityManager } from 'typeorm';
import { CatalogProductEntity, CatalogShopEntity } from './entities';
import { onlyUuids } from './ids';
import type { CatalogProductRow, CatalogShopRow } from './rows';

/** Reads of orders' local copy of catalog data; writes happen only in the event handler. */
export function catalogReadModelRepository(db: DataSource) {
  const shops = db.getRepository(CatalogShopEntity);
  const products = db.getRepository(CatalogProductEntity);
  return {
    async shopsByIds(ids: readonly string[]): Promise<CatalogShopRow[]> {
      const known = onlyUuids(ids);
      return known.length === 0 ? [] : shops.findBy({ shopId: In(known) });
    },

    async productsByIds(ids: readonly string[]): Promise<CatalogProductRow[]> {
      const known = onlyUuids(ids);
      return known.length === 0 ? [] : products.findBy({ productId: In(known) });
    },
  };
}

export type CatalogReadModelRepository = ReturnType<typeof catalogReadModelRepository>;

// The WHERE on the conflict branch is what makes delivery order irrelevant: a
// row only moves forward in catalog's time, so a late, older event is a no-op.
// `<=` lets an event stamped with the same instant win, the later delivery
// being as good a guess as any for a tie.

export async function upsertCatalogShop(manager: EntityManager, shop: CatalogShopRow): Promise<void> {
  await manager.query(
    `INSERT INTO orders.catalog_shops AS s (shop_id, owner_id, name, changed_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (shop_id) DO UPDATE
       SET owner_id = EXCLUDED.owner_id, name = EXCLUDED.name, changed_at = EXCLUDED.changed_at
       WHERE s.changed_at <= EXCLUDED.changed_at`,
    [shop.shopId, shop.ownerId, shop.name, shop.changedAt],
  );
}

export async function upsertCatalogProduct(manager: EntityManager, product: CatalogProductRow): Promise<void> {
  await manager.query(
    `INSERT INTO orders.catalog_products AS p (product_id, shop_id, name, price_cents, changed_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (product_id) DO UPDATE
       SET shop_id = EXCLUDED.shop_id, name = EXCLUDED.name, price_cents = EXCLUDED.price_cents,
           changed_at = EXCLUDED.changed_at
       WHERE p.changed_at <= EXCLUDED.changed_at`,
    [product.productId, product.shopId, product.name, product.priceCents, product.changedAt],
  );
}
