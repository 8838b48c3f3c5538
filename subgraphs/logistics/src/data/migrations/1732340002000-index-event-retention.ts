import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxRetentionMigrationSql, outboxRetentionMigrationSql } from '@commerce/events';

/**
 * Indexes on when outbox rows were published and inbox rows handled, so
 * retention deletes the old ones without reading the whole tables. Outside a
 * transaction: the indexes are built concurrently, without holding up writes.
 */
export class IndexEventRetention1732340002000 implements MigrationInterface {
  name = 'IndexEventRetention1732340002000';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    for (const statement of outboxRetentionMigrationSql('logistics').up) await db.query(statement);
    for (const statement of inboxRetentionMigrationSql('logistics').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of inboxRetentionMigrationSql('logistics').down) await db.query(statement);
    for (const statement of outboxRetentionMigrationSql('logistics').down) await db.query(statement);
  }
}
