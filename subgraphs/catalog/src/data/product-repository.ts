import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { appendEvents } from '@commerce/events';
import { productChangedEvent, stockChangeEvents } from '../events/published';
import type { ProductCursor } from '../domain/pagination';
import { isUuid } from '../domain/validation';
import { ProductEntity, ShopEntity } from './entities';
import type { ProductRow } from './rows';
import { noHooks, sqlState, sqlStateOf, type WriteHooks } from './write-hooks';
import { config } from '../config';

export type NewProduct = Omit<ProductRow, 'id' | 'createdAt' | 'updatedAt'>;

export interface ProductFilter {
  shopId?: string;
  /** Matched case-insensitively anywhere in the name. */
  search?: string;
}

/** The editable fields of a product; those left out keep their value. */
export type ProductChanges = Partial<Pick<ProductRow, 'name' | 'description' | 'priceCents'>>;

/** The category named by a new product vanished between validation and insert. */
export class UnknownCategoryError extends Error {}

/** A restock would take stock past what the column can hold. */
export class StockOverflowError extends Error {}

// Raw statements return these aliases, so their rows are ProductRows as they are.
// Qualified by the table alias, because the restock statement also reads catalog.shops.
const returningProduct = `p.id, p.shop_id AS "shopId", p.category_id AS "categoryId", p.name, p.description,
  p.price_cents AS "priceCents", p.stock, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function productRepository(db: DataSource, hooks: WriteHooks = noHooks) {
  const products = db.getRepository(ProductEntity);

  const filtered = (filter: ProductFilter): SelectQueryBuilder<ProductRow> => {
    const query = products.createQueryBuilder('p');
    if (filter.shopId !== undefined) query.andWhere('p.shopId = :shopId', { shopId: filter.shopId });
    if (filter.search) {
      query.andWhere(`lower(p.name) LIKE :pattern ESCAPE '\\'`, { pattern: `%${escapeLike(filter.search.toLowerCase())}%` });
    }
    return query;
  };

  return {
    async findByIds(ids: readonly string[]): Promise<ProductRow[]> {
      const valid = ids.filter(isUuid);
      return valid.length === 0 ? [] : products.findBy({ id: In(valid) });
    },

    async findById(id: string): Promise<ProductRow | null> {
      return isUuid(id) ? products.findOneBy({ id }) : null;
    },

    /** Every product of these shops, by name: one query for any number of shops. */
    async ofShops(shopIds: readonly string[]): Promise<ProductRow[]> {
      const valid = shopIds.filter(isUuid);
      return valid.length === 0 ? [] : products.find({ where: { shopId: In(valid) }, order: { name: 'ASC', id: 'ASC' } });
    },

    /**
     * Up to `limit` products newest first, strictly after `after` (keyset
     * pagination on (created_at, id), which an index serves directly).
     */
    async page(filter: ProductFilter, limit: number, after: ProductCursor | null): Promise<ProductRow[]> {
      const query = filtered(filter);
      if (after) {
        query.andWhere('(p.createdAt, p.id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))', {
          createdAt: after.createdAt.toISOString(),
          id: after.id,
        });
      }
      return query.orderBy('p.createdAt', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getMany();
    },

    async count(filter: ProductFilter): Promise<number> {
      return filtered(filter).getCount();
    },

    /** Inserts the product with its `catalog.product.changed` and `inventory.changed` (CREATED) events, in one transaction. */
    async create(product: NewProduct): Promise<ProductRow> {
      try {
        const created = await db.transaction(async (manager) => {
          const repository = manager.getRepository(ProductEntity);
          const row = await repository.save(repository.create(product));
          const shop = await manager.getRepository(ShopEntity).findOneByOrFail({ id: row.shopId });
          const stocked = { productId: row.id, shopId: row.shopId, previousStock: 0, stock: row.stock, lowStockThreshold: shop.lowStockThreshold };
          await appendEvents(manager, config.name, [productChangedEvent(row), ...stockChangeEvents(stocked, 'CREATED', null)]);
          return row;
        });
        hooks.onCommitted();
        return created;
      } catch (error) {
        if (sqlStateOf(error) === sqlState.foreignKeyViolation && product.categoryId) throw new UnknownCategoryError();
        throw error;
      }
    },

    /**
     * Applies `changes` in one UPDATE and records `catalog.product.changed` in the
     * same transaction, so orders' read model (which prices new orders) never misses
     * an edit. The row lock orders concurrent edits, and with them their events.
     * Null when the product does not exist.
     */
    async update(productId: string, changes: ProductChanges): Promise<ProductRow | null> {
      if (!isUuid(productId)) return null;
      const updated = await db.transaction(async (manager) => {
        const [rows]: [ProductRow[], number] = await manager.query(
          `UPDATE catalog.products p
           SET name = coalesce($2::text, p.name),
               description = CASE WHEN $3::boolean THEN $4::text ELSE p.description END,
               price_cents = coalesce($5::int, p.price_cents),
               updated_at = date_trunc('milliseconds', now())
           WHERE p.id = $1
           RETURNING ${returningProduct}`,
          [productId, changes.name ?? null, changes.description !== undefined, changes.description ?? null, changes.priceCents ?? null],
        );
        const row = rows[0];
        if (!row) return null;
        await appendEvents(manager, config.name, [productChangedEvent(row)]);
        return row;
      });
      if (updated) hooks.onCommitted();
      return updated;
    },

    /**
     * Adds `quantity` in one UPDATE, so concurrent restocks and reservations
     * never lose each other's changes, and records `inventory.changed`
     * (RESTOCKED) in the same transaction. Null when the product does not exist.
     */
    async restock(productId: string, quantity: number): Promise<ProductRow | null> {
      if (!isUuid(productId)) return null;
      try {
        const restocked = await db.transaction(async (manager) => {
          const [rows]: [(ProductRow & { lowStockThreshold: number })[], number] = await manager.query(
            `UPDATE catalog.products p SET stock = p.stock + $1, updated_at = date_trunc('milliseconds', now())
             FROM catalog.shops s WHERE p.id = $2 AND s.id = p.shop_id
             RETURNING ${returningProduct}, s.low_stock_threshold AS "lowStockThreshold"`,
            [quantity, productId],
          );
          const row = rows[0];
          if (!row) return null;
          const { lowStockThreshold, ...product } = row;
          const change = { productId: product.id, shopId: product.shopId, previousStock: product.stock - quantity, stock: product.stock, lowStockThreshold };
          await appendEvents(manager, config.name, stockChangeEvents(change, 'RESTOCKED', null));
          return product;
        });
        if (restocked) hooks.onCommitted();
        return restocked;
      } catch (error) {
        if (sqlStateOf(error) === sqlState.numericOutOfRange) throw new StockOverflowError();
        throw error;
      }
    },
  };
}

export type ProductRepository = ReturnType<typeof productRepository>;
