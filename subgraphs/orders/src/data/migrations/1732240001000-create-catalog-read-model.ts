import type { MigrationInterface, QueryRunner } from 'typeorm';

/** orders' local copy of catalog's shops and products; see src/events/catalog-read-model.ts. */
export class CreateCatalogReadModel1732240001000 implements MigrationInterface {
  name = 'CreateCatalogReadModel1732240001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orders.catalog_shops (
        shop_id uuid PRIMARY KEY,
        owner_id uuid NOT NULL,
        name text NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    // No foreign key to catalog_shops: events of different shops and products
    // arrive in any order, and a product may be known before its shop.
    await db.query(`
      CREATE TABLE orders.catalog_products (
        product_id uuid PRIMARY KEY,
        shop_id uuid NOT NULL,
        name text NOT NULL,
        price_cents int NOT NULL CHECK (price_cents > 0),
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE orders.catalog_products`);
    await db.query(`DROP TABLE orders.catalog_shops`);
  }
}
