import type { EntityManager } from 'typeorm';
import type { ReservationLine, ReservationRow, ReservationStatus } from './rows';

// Every function takes the saga handler's transaction; none commits on its own.

const returningReservation = `order_id AS "orderId", status, items, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Inserts the order's reservation unless it has one, and returns it, or null
 * when a row existed. The primary key decides, so of two handlers racing for
 * one order exactly one gets the row; the other waits for its commit.
 */
export async function claimReservation(
  manager: EntityManager,
  orderId: string,
  status: ReservationStatus,
  items: ReservationLine[],
): Promise<ReservationRow | null> {
  const rows: ReservationRow[] = await manager.query(
    `INSERT INTO catalog.reservations (order_id, status, items) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (order_id) DO NOTHING RETURNING ${returningReservation}`,
    [orderId, status, JSON.stringify(items)],
  );
  return rows[0] ?? null;
}

/** The order's reservation, locked until the transaction ends; null when it has none. */
export async function lockReservation(manager: EntityManager, orderId: string): Promise<ReservationRow | null> {
  const rows: ReservationRow[] = await manager.query(
    `SELECT ${returningReservation} FROM catalog.reservations WHERE order_id = $1 FOR UPDATE`,
    [orderId],
  );
  return rows[0] ?? null;
}

export async function setReservationStatus(manager: EntityManager, orderId: string, status: ReservationStatus): Promise<void> {
  await manager.query(`UPDATE catalog.reservations SET status = $2, updated_at = now() WHERE order_id = $1`, [orderId, status]);
}

/** For tests and operators: the reservation as it is now. */
export async function findReservation(manager: EntityManager, orderId: string): Promise<ReservationRow | null> {
  const rows: ReservationRow[] = await manager.query(
    `SELECT ${returningReservation} FROM catalog.reservations WHERE order_id = $1`,
    [orderId],
  );
  return rows[0] ?? null;
}
