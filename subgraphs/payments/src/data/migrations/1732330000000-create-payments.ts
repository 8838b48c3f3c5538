import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePayments1732330000000 implements MigrationInterface {
  name = 'CreatePayments1732330000000';

  async up(db: QueryRunner): Promise<void> {
    // order_id has no foreign key: orders live in another subgraph's schema.
    await db.query(`
      CREATE TABLE payments.payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL,
        amount_cents integer NOT NULL CHECK (amount_cents > 0),
        status text NOT NULL CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUNDED')),
        decline_reason text,
        provider_reference text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payments_order_id_key UNIQUE (order_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE payments.payments`);
  }
}
