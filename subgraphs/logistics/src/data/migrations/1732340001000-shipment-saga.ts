import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxMigrationSql, outboxMigrationSql } from '@commerce/events';

/**
 * What logistics needs to take part in the order saga: the delivery address a
 * courier drives to, the CANCELLED status for an order cancelled before
 * pickup, the outbox its events leave through and the inbox its consumer
 * deduplicates with.
 */
export class ShipmentSaga1732340001000 implements MigrationInterface {
  name = 'ShipmentSaga1732340001000';

  async up(db: QueryRunner): Promise<void> {
    // The default only fills rows from before this migration; new shipments always name an address.
    await db.query(`ALTER TABLE logistics.shipments ADD COLUMN delivery_address text NOT NULL DEFAULT ''`);
    await db.query(`ALTER TABLE logistics.shipments ALTER COLUMN delivery_address DROP DEFAULT`);
    await db.query(`ALTER TABLE logistics.shipments DROP CONSTRAINT shipments_status_check`);
    await db.query(`
      ALTER TABLE logistics.shipments ADD CONSTRAINT shipments_status_check
        CHECK (status IN ('WAITING_FOR_COURIER', 'ASSIGNED', 'PICKED_UP', 'DELIVERED', 'CANCELLED'))`);
    // Serves availableShipments, oldest first, over the few waiting rows only.
    await db.query(`
      CREATE INDEX shipments_waiting_idx ON logistics.shipments (created_at, id)
        WHERE status = 'WAITING_FOR_COURIER'`);
    for (const statement of outboxMigrationSql('logistics').up) await db.query(statement);
    for (const statement of inboxMigrationSql('logistics').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of inboxMigrationSql('logistics').down) await db.query(statement);
    for (const statement of outboxMigrationSql('logistics').down) await db.query(statement);
    await db.query(`DROP INDEX logistics.shipments_waiting_idx`);
    await db.query(`DELETE FROM logistics.shipments WHERE status = 'CANCELLED'`);
    await db.query(`ALTER TABLE logistics.shipments DROP CONSTRAINT shipments_status_check`);
    await db.query(`
      ALTER TABLE logistics.shipments ADD CONSTRAINT shipments_status_check
        CHECK (status IN ('WAITING_FOR_COURIER', 'ASSIGNED', 'PICKED_UP', 'DELIVERED'))`);
    await db.query(`ALTER TABLE logistics.shipments DROP COLUMN delivery_address`);
  }
}
