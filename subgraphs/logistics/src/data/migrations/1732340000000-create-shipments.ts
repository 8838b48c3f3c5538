import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateShipments1732340000000 implements MigrationInterface {
  name = 'CreateShipments1732340000000';

  async up(db: QueryRunner): Promise<void> {
    // order_id and courier_id have no foreign keys: orders and users live in other subgraphs' schemas.
    await db.query(`
      CREATE TABLE logistics.shipments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('WAITING_FOR_COURIER', 'ASSIGNED', 'PICKED_UP', 'DELIVERED')),
        courier_id uuid,
        eta timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT shipments_order_id_key UNIQUE (order_id)
      )`);
    // Serves a courier's own shipments, newest first.
    await db.query(`CREATE INDEX shipments_courier_id_idx ON logistics.shipments (courier_id, created_at DESC)`);
    await db.query(`
      CREATE TABLE logistics.positions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shipment_id uuid NOT NULL REFERENCES logistics.shipments (id) ON DELETE CASCADE,
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    // Serves the latest position per shipment (DISTINCT ON shipment_id ORDER BY at DESC) from the index alone.
    await db.query(`CREATE INDEX positions_shipment_id_at_idx ON logistics.positions (shipment_id, at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE logistics.positions`);
    await db.query(`DROP TABLE logistics.shipments`);
  }
}
