import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSessions1732240000000 implements MigrationInterface {
  name = 'CreateSessions1732240000000';

  async up(db: QueryRunner): Promise<void> {
    // A sign-in: every access token issued in it names it (`sid`), so ending it ends them all.
    await db.query(`
      CREATE TABLE users.sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await db.query(`CREATE INDEX sessions_user_id_idx ON users.sessions (user_id)`);
    // Only hashes are kept: a copy of this table lets no one refresh. A used token stays,
    // so that presenting it again (it was stolen, or replayed) is recognised.
    await db.query(`
      CREATE TABLE users.refresh_tokens (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES users.sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await db.query(`CREATE INDEX refresh_tokens_session_id_idx ON users.refresh_tokens (session_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users.refresh_tokens`);
    await db.query(`DROP TABLE users.sessions`);
  }
}
