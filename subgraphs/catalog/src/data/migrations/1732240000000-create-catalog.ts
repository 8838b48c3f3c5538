import type { MigrationInterface, QueryRunner } from 'typeorm';

// Timestamps default to millisecond precision: product cursors carry created_at
// through a JavaScript Date (milliseconds), and keyset pagination compares the
// cursor with the stored value exactly, so both must have the same precision.
const nowMs = `date_trunc('milliseconds', now())`;

export class CreateCatalog1732240000000 implements MigrationInterface {
  name = 'CreateCatalog1732240000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE catalog.shops (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL,
        name text NOT NULL,
        low_stock_threshold int NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
        created_at timestamptz NOT NULL DEFAULT ${nowMs}
      )`);
    await db.query(`CREATE INDEX shops_owner_id_idx ON catalog.shops (owner_id)`);
    await db.query(`
      CREATE TABLE catalog.categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        CONSTRAINT categories_name_key UNIQUE (name)
      )`);
    await db.query(`
      CREATE TABLE catalog.products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shop_id uuid NOT NULL REFERENCES catalog.shops (id),
        category_id uuid REFERENCES catalog.categories (id),
        name text NOT NULL,
        description text,
        price_cents int NOT NULL CHECK (price_cents > 0),
        -- The last line against overselling: no code path can take stock below zero.
        stock int NOT NULL CHECK (stock >= 0),
        created_at timestamptz NOT NULL DEFAULT ${nowMs},
        updated_at timestamptz NOT NULL DEFAULT ${nowMs}
      )`);
    // Keyset pagination walks (created_at, id) newest first, over all products or one shop's.
    await db.query(`CREATE INDEX products_created_idx ON catalog.products (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX products_shop_created_idx ON catalog.products (shop_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX products_category_id_idx ON catalog.products (category_id)`);
    // Case-insensitive name search. text_pattern_ops serves prefix matches; a
    // trigram index would serve substrings too, but pg_trgm is an extension the
    // embedded quickstart engine does not load, so we keep to core Postgres.
    await db.query(`CREATE INDEX products_lower_name_idx ON catalog.products (lower(name) text_pattern_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE catalog.products`);
    await db.query(`DROP TABLE catalog.categories`);
    await db.query(`DROP TABLE catalog.shops`);
  }
}
