import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1732230000000 implements MigrationInterface {
  name = 'CreateUsers1732230000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('CUSTOMER', 'SHOP_OWNER', 'COURIER', 'ADMIN')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Emails are unique regardless of case.
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users.users (lower(email))`);
    await db.query(`
      CREATE TABLE users.addresses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
        label text NOT NULL,
        line text NOT NULL
      )`);
    await db.query(`CREATE INDEX addresses_user_id_idx ON users.addresses (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users.addresses`);
    await db.query(`DROP TABLE users.users`);
  }
}
