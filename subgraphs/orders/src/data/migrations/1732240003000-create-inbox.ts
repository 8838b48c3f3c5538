import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxMigrationSql } from '@commerce/events';

/** The inbox: ids of the events each consumer has handled, so a redelivery has no second effect. */
export class CreateInbox1732240003000 implements MigrationInterface {
  name = 'CreateInbox1732240003000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of inboxMigrationSql('orders').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of inboxMigrationSql('orders').down) await db.query(statement);
  }
}
