import type { EntityManager } from 'typeorm';
import type { ReservationLine, StockRow } from './rows';

// Every function takes the caller's transaction; the locks last until it ends.

const returningStock = `p.id AS "productId", p.shop_id AS "shopId", p.stock, s.low_stock_threshold AS "lowStockThreshold"`;

/**
 * Locks these products' rows, always in id order so two orders sharing
 * products queue behind each other instead of deadlocking. Unknown ids are
 * absent from the result.
 */
export async function lockStock(manager: EntityManager, productIds: readonly string[]): Promise<StockRow[]> {
  if (productIds.length === 0) return [];
  return manager.query(
    `SELECT ${returningStock} FROM catalog.products p JOIN catalog.shops s ON s.id = p.shop_id
     WHERE p.id = ANY($1::uuid[]) ORDER BY p.id FOR UPDATE OF p`,
    [productIds],
  );
}

/**
 * Adds each line's quantity (negative to take) to its product in one
 * statement, and returns the new stock per product. The CHECK (stock >= 0)
 * stays the last line of defence: callers check availability under lock first.
 */
export async function addStock(manager: EntityManager, lines: readonly ReservationLine[]): Promise<StockRow[]> {
  if (lines.length === 0) return [];
  // TypeORM answers an UPDATE with [rows, affected count].
  const [rows]: [StockRow[], number] = await manager.query(
    `UPDATE catalog.products p SET stock = p.stock + d.delta, updated_at = date_trunc('milliseconds', now())
     FROM unnest($1::uuid[], $2::int[]) AS d(id, delta), catalog.shops s
     WHERE p.id = d.id AND s.id = p.shop_id
     RETURNING ${returningStock}`,
    [lines.map((line) => line.productId), lines.map((line) => line.quantity)],
  );
  return rows;
}
