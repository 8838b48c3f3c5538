import type { ReservationLine, StockRow } from '../data/rows';

export interface Shortage {
  reason: 'UNKNOWN_PRODUCT' | 'WRONG_SHOP' | 'OUT_OF_STOCK';
  productIds: string[];
}

/** One line per product, quantities summed: an order may list a product twice. */
export function mergeLines(items: readonly ReservationLine[]): ReservationLine[] {
  const quantities = new Map<string, number>();
  for (const item of items) quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Why these lines cannot all be reserved from `stock` (the locked rows), or
 * null when they can. Unknown products are reported first, then products of
 * another shop, then those short of stock, so the reason names the most basic problem.
 */
export function findShortage(lines: readonly ReservationLine[], stock: readonly StockRow[], shopId: string): Shortage | null {
  const byId = new Map(stock.map((row) => [row.productId, row]));
  const unknown = lines.filter((line) => !byId.has(line.productId));
  if (unknown.length > 0) return { reason: 'UNKNOWN_PRODUCT', productIds: unknown.map((line) => line.productId) };
  const foreign = lines.filter((line) => byId.get(line.productId)!.shopId !== shopId);
  if (foreign.length > 0) return { reason: 'WRONG_SHOP', productIds: foreign.map((line) => line.productId) };
  const short = lines.filter((line) => byId.get(line.productId)!.stock < line.quantity);
  if (short.length > 0) return { reason: 'OUT_OF_STOCK', productIds: short.map((line) => line.productId) };
  return null;
}
