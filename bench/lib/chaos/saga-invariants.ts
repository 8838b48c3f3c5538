import type { Client } from 'pg';
import type { PlacedOrder } from '../saga-audit';
import { invariant, type Invariant } from './invariants';
import type { Plan } from './workload';

export interface AuditedOrder extends PlacedOrder {
  /** Null for an order found in the database that no placeOrder answer named (its answer was lost). */
  plan: Plan | null;
}

/** The whole history each plan leads to; an order with the scarce product may instead be rejected for stock. */
const paths: Record<Plan, string[]> = {
  deliver: ['PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'DELIVERED'],
  'cancel-confirmed': ['PENDING', 'CONFIRMED', 'CANCELLED'],
  'cancel-preparing': ['PENDING', 'CONFIRMED', 'PREPARING', 'CANCELLED'],
  'cancel-ready': ['PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP', 'CANCELLED'],
  decline: ['PENDING', 'REJECTED'],
};
const rejectedForStock = ['PENDING', 'REJECTED'];

/**
 * What each final outcome leaves in the other subgraphs' tables: the
 * reservation (catalog), the payment (payments) and the shipment (logistics).
 * Each table holds at most one row per order (unique keys), so an effect done
 * twice shows as a wrong status (a release after a capture...), and one never
 * done as a missing row or an earlier status.
 */
function expectedEffects(history: string[], stockShort: boolean): { reservation: string; payment: string; shipment: string | null } {
  const final = history.at(-1);
  if (final === 'DELIVERED') return { reservation: 'RESERVED', payment: 'CAPTURED', shipment: 'DELIVERED' };
  if (final === 'CANCELLED') return { reservation: 'RELEASED', payment: 'VOIDED', shipment: history.includes('READY_FOR_PICKUP') ? 'CANCELLED' : null };
  // Rejected: either the card was declined after the stock was held (and released), or the stock was short (nothing held, payment voided).
  return stockShort ? { reservation: 'REJECTED', payment: 'VOIDED', shipment: null } : { reservation: 'RELEASED', payment: 'DECLINED', shipment: null };
}

export interface SagaCounts {
  orders: number;
  byFinalStatus: Record<string, number>;
  statusChanges: { expected: number; actual: number };
  reservations: Record<string, { expected: number; actual: number }>;
  payments: Record<string, { expected: number; actual: number }>;
  shipments: Record<string, { expected: number; actual: number }>;
}

const tally = (into: Record<string, { expected: number; actual: number }>, key: string, side: 'expected' | 'actual') => {
  into[key] ??= { expected: 0, actual: 0 };
  into[key][side] += 1;
};

/**
 * Every order's end state across the subgraphs' own tables, and every
 * product's stock, against what the orders placed imply. `orders` must hold
 * every order of the shop (those whose answer was lost included).
 */
export async function auditSaga(
  db: Client,
  orders: AuditedOrder[],
  products: { id: string; initialStock: number; scarce: boolean }[],
  histories: Map<string, string[]>,
): Promise<{ invariants: Invariant[]; counts: SagaCounts }> {
  const ids = orders.map((order) => order.id);
  const rows = async (sql: string) => new Map((await db.query<{ order_id: string; status: string }>(sql, [ids])).rows.map((row) => [row.order_id, row.status]));
  const reservations = await rows(`SELECT order_id, status FROM catalog.reservations WHERE order_id = ANY($1::uuid[])`);
  const payments = await rows(`SELECT order_id, status FROM payments.payments WHERE order_id = ANY($1::uuid[])`);
  const shipments = await rows(`SELECT order_id, status FROM logistics.shipments WHERE order_id = ANY($1::uuid[])`);
  const current = await rows(`SELECT id AS order_id, status FROM orders.orders WHERE id = ANY($1::uuid[])`);
  const scarce = new Set(products.filter((product) => product.scarce).map((product) => product.id));

  const notFinal: string[] = [];
  const wrongHistory: string[] = [];
  const wrongEffects: string[] = [];
  const counts: SagaCounts = { orders: orders.length, byFinalStatus: {}, statusChanges: { expected: 0, actual: 0 }, reservations: {}, payments: {}, shipments: {} };
  const held = new Map<string, number>();
  for (const order of orders) {
    const history = histories.get(order.id) ?? [];
    const status = current.get(order.id) ?? 'MISSING';
    counts.byFinalStatus[status] = (counts.byFinalStatus[status] ?? 0) + 1;
    counts.statusChanges.actual += history.length;
    // Whatever an order holds counts against stock, final or not.
    if (reservations.get(order.id) === 'RESERVED') for (const item of order.items) held.set(item.productId, (held.get(item.productId) ?? 0) + item.quantity);
    if (!['DELIVERED', 'CANCELLED', 'REJECTED'].includes(status)) {
      notFinal.push(`order ${order.id} is ${status} (history ${history.join('>') || 'none'}, plan ${order.plan ?? 'unknown'})`);
      continue;
    }
    const hasScarce = order.items.some((item) => scarce.has(item.productId));
    // An adopted order's plan is unknown (its card may be one to decline); its lifecycle delivers it.
    const planned = order.plan ? [paths[order.plan]] : [paths.deliver, paths.decline];
    const allowed = [...planned, ...(hasScarce ? [rejectedForStock] : [])];
    const matches = allowed.find((path) => path.join('>') === history.join('>'));
    if (!matches || history.at(-1) !== status) {
      wrongHistory.push(`order ${order.id}: history ${history.join('>')} (status ${status}), plan ${order.plan ?? 'adopted'} expects ${allowed.map((path) => path.join('>')).join(' or ')}`);
    }
    counts.statusChanges.expected += (matches ?? planned[0]!).length;
    // Only an order with the scarce product can be short of stock; one planned to be declined may be either.
    const stockShort = hasScarce && (order.plan === 'decline' || order.plan === null ? reservations.get(order.id) === 'REJECTED' : true);
    const expected = expectedEffects(history, stockShort);
    const actual = { reservation: reservations.get(order.id) ?? 'none', payment: payments.get(order.id) ?? 'none', shipment: shipments.get(order.id) ?? null };
    tally(counts.reservations, expected.reservation, 'expected');
    tally(counts.reservations, actual.reservation, 'actual');
    tally(counts.payments, expected.payment, 'expected');
    tally(counts.payments, actual.payment, 'actual');
    if (expected.shipment) tally(counts.shipments, expected.shipment, 'expected');
    if (actual.shipment) tally(counts.shipments, actual.shipment, 'actual');
    const wrong = (['reservation', 'payment', 'shipment'] as const).filter((key) => expected[key] !== actual[key]);
    if (wrong.length) {
      wrongEffects.push(`order ${order.id} (${status}): ${wrong.map((key) => `${key} ${actual[key] ?? 'none'}, expected ${expected[key] ?? 'none'}`).join('; ')}`);
    }
  }

  const stock = new Map(
    (await db.query<{ id: string; stock: number }>(`SELECT id, stock FROM catalog.products WHERE id = ANY($1::uuid[])`, [products.map((p) => p.id)])).rows.map((row) => [row.id, row.stock]),
  );
  const stockWrong: string[] = [];
  for (const product of products) {
    const actual = stock.get(product.id);
    const expected = product.initialStock - (held.get(product.id) ?? 0);
    if (actual === undefined || actual !== expected || actual < 0) {
      stockWrong.push(`product ${product.id}${product.scarce ? ' (scarce)' : ''}: stock ${actual ?? 'missing'}, expected ${expected} (initial ${product.initialStock} less ${held.get(product.id) ?? 0} held by reservations)`);
    }
  }

  const finalCount = orders.length - notFinal.length;
  return {
    invariants: [
      invariant('every order reached a final status', `${orders.length} orders`, notFinal),
      invariant('every order took exactly its planned path (no status lost or doubled)', `${finalCount} final orders, ${counts.statusChanges.actual} status changes`, wrongHistory),
      invariant('reservation, payment and shipment match each final status (no event lost or doubled)', `${finalCount} final orders`, wrongEffects),
      invariant('stock is never below zero and equals what the orders imply', `${products.length} products: initial stock less what RESERVED reservations hold, each of which must be a delivered order's`, stockWrong),
    ],
    counts,
  };
}
