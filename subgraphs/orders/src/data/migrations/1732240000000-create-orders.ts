import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1732240000000 implements MigrationInterface {
  name = 'CreateOrders1732240000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orders.orders (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        shop_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN (
          'PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP',
          'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED', 'REJECTED')),
        total_cents int NOT NULL CHECK (total_cents > 0),
        delivery_address text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The two lists clients page through: a customer's orders and a shop's, newest first.
    await db.query(`CREATE INDEX orders_customer_created_idx ON orders.orders (customer_id, created_at DESC)`);
    await db.query(`CREATE INDEX orders_shop_created_idx ON orders.orders (shop_id, created_at DESC)`);
    await db.query(`
      CREATE TABLE orders.order_items (
        order_id uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        product_id uuid NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price_cents int NOT NULL CHECK (unit_price_cents > 0),
        PRIMARY KEY (order_id, position)
      )`);
    await db.query(`
      CREATE TABLE orders.order_status_changes (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
        status text NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX order_status_changes_order_id_idx ON orders.order_status_changes (order_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE orders.order_status_changes`);
    await db.query(`DROP TABLE orders.order_items`);
    await db.query(`DROP TABLE orders.orders`);
  }
}
