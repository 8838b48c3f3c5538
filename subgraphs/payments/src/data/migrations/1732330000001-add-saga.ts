import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxMigrationSql, outboxMigrationSql } from '@commerce/events';

/**
 * What payments needs to take part in the order saga: the card token from
 * `order.placed` (kept here and nowhere else, and cleared once no provider
 * call needs it), the outbox its events commit through, and the inbox that
 * makes its consumer idempotent on event ids.
 */
export class AddSaga1732330000001 implements MigrationInterface {
  name = 'AddSaga1732330000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE payments.payments ADD COLUMN card_token text`);
    for (const statement of outboxMigrationSql('payments').up) await db.query(statement);
    for (const statement of inboxMigrationSql('payments').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of inboxMigrationSql('payments').down) await db.query(statement);
    for (const statement of outboxMigrationSql('payments').down) await db.query(statement);
    await db.query(`ALTER TABLE payments.payments DROP COLUMN card_token`);
  }
}
