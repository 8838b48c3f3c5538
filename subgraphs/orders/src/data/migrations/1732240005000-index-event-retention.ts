import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxRetentionMigrationSql, outboxRetentionMigrationSql } from '@commerce/events';

/**
 * Indexes on when outbox rows were published and inbox rows handled, so
 * retention deletes the old ones without reading the whole tables. Outside a
 * transaction: the indexes are built concurrently, without holding up writes.
 */
export class IndexEventRetention1732240005000 implements MigrationInterface {
  name = 'IndexEventRetention1732240005000';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    for (const statement of outboxRetentionMigrationSql('orders').up) await db.query(statement);
    for (const statement of inboxRetentionMigrationSql('orders').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of inboxRetentionMigrationSql('orders').down) await db.query(statement);
    for (const statement of outboxRetentionMigrationSql('orders').down) await db.query(statement);
  }
}
