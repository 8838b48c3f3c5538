import { Client } from 'pg';

/** What the bench placed: each order's lines, to check the saga's end state against. */
export interface PlacedOrder {
  id: string;
  items: { productId: string; quantity: number }[];
}

export interface SagaAudit {
  orders: number;
  /** Placed orders that are not CONFIRMED in orders' own table. */
  notConfirmed: number;
  /** Orders with more or fewer than one CONFIRMED status change. */
  confirmedTwiceOrNever: number;
  /** Orders without exactly one RESERVED reservation in catalog. */
  reservationMismatches: number;
  /** Orders without exactly one AUTHORIZED payment. */
  paymentMismatches: number;
  /** Products whose stock is not the initial stock minus what the confirmed orders took. */
  stockMismatches: { productId: string; expected: number; actual: number }[];
  /** Orders in the database that the bench never placed (a placement doubled). */
  unexpectedOrders: number;
  ok: boolean;
}

/**
 * Reads every subgraph's own tables after a run and checks that the saga did
 * each order exactly once: confirmed once, stock taken once, paid once, and
 * nothing oversold or lost. Runs after the load, so its cost is not measured.
 */
export async function auditSaga(databaseUrl: string, placed: PlacedOrder[], initialStock: Map<string, number>): Promise<SagaAudit> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = placed.map((order) => order.id);
    const count = async (sql: string): Promise<number> => Number((await client.query(sql, [ids])).rows[0].n);
    const notConfirmed = await count(
      `SELECT count(*) AS n FROM unnest($1::uuid[]) AS placed(id) LEFT JOIN orders.orders o ON o.id = placed.id WHERE o.status IS DISTINCT FROM 'CONFIRMED'`,
    );
    const confirmedTwiceOrNever = await count(
      `SELECT count(*) AS n FROM unnest($1::uuid[]) AS placed(id)
       WHERE (SELECT count(*) FROM orders.order_status_changes c WHERE c.order_id = placed.id AND c.status = 'CONFIRMED') <> 1`,
    );
    const reservationMismatches = await count(
      `SELECT count(*) AS n FROM unnest($1::uuid[]) AS placed(id)
       WHERE (SELECT count(*) FROM catalog.reservations r WHERE r.order_id = placed.id AND r.status = 'RESERVED') <> 1`,
    );
    const paymentMismatches = await count(
      `SELECT count(*) AS n FROM unnest($1::uuid[]) AS placed(id)
       WHERE (SELECT count(*) FROM payments.payments p WHERE p.order_id = placed.id AND p.status = 'AUTHORIZED') <> 1`,
    );
    const unexpectedOrders = await count(`SELECT count(*) AS n FROM orders.orders WHERE id <> ALL($1::uuid[])`);
    const taken = new Map<string, number>();
    for (const order of placed) for (const item of order.items) taken.set(item.productId, (taken.get(item.productId) ?? 0) + item.quantity);
    const stock = await client.query<{ id: string; stock: number }>(`SELECT id, stock FROM catalog.products WHERE id = ANY($1::uuid[])`, [[...initialStock.keys()]]);
    const stockMismatches = stock.rows
      .map((row) => ({ productId: row.id, expected: initialStock.get(row.id)! - (taken.get(row.id) ?? 0), actual: row.stock }))
      .filter((row) => row.expected !== row.actual);
    if (stock.rows.length !== initialStock.size) stockMismatches.push({ productId: 'missing rows', expected: initialStock.size, actual: stock.rows.length });
    return {
      orders: placed.length,
      notConfirmed,
      confirmedTwiceOrNever,
      reservationMismatches,
      paymentMismatches,
      stockMismatches,
      unexpectedOrders,
      ok: notConfirmed + confirmedTwiceOrNever + reservationMismatches + paymentMismatches + unexpectedOrders + stockMismatches.length === 0,
    };
  } finally {
    await client.end();
  }
}
