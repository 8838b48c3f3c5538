import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxMigrationSql } from '@commerce/events';

/**
 * The order saga's side in catalog: one reservation per order (its primary key
 * is what makes a late or repeated `order.placed` reserve nothing twice), and
 * the inbox that makes the saga consumer idempotent on event ids.
 */
export class CreateReservations1732240000002 implements MigrationInterface {
  name = 'CreateReservations1732240000002';

  async up(db: QueryRunner): Promise<void> {
    // order_id has no foreign key: orders live in another subgraph's schema.
    await db.query(`
      CREATE TABLE catalog.reservations (
        order_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('RESERVED', 'RELEASED', 'REJECTED', 'CANCELLED')),
        items jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const statement of inboxMigrationSql('catalog').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of inboxMigrationSql('catalog').down) await db.query(statement);
    await db.query(`DROP TABLE catalog.reservations`);
  }
}
