import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxMigrationSql } from '@commerce/events';

/** The transactional outbox: events commit with the change they announce, a relay publishes them. */
export class CreateOutbox1732240000001 implements MigrationInterface {
  name = 'CreateOutbox1732240000001';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of outboxMigrationSql('catalog').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of outboxMigrationSql('catalog').down) await db.query(statement);
  }
}
