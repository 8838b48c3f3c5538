import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The courier carrying an order, as logistics announces it on pickup
 * (`shipment.picked_up`), so that courier may read the order it carries.
 * No foreign key: couriers are users, another subgraph's rows.
 */
export class AddOrderCourier1732240004000 implements MigrationInterface {
  name = 'AddOrderCourier1732240004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE orders.orders ADD COLUMN courier_id uuid`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE orders.orders DROP COLUMN courier_id`);
  }
}
