import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** What a refresh token is stored as; the token itself exists only on the client. */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface StartedSession {
  sessionId: string;
  refreshToken: string;
}

/** What presenting a refresh token came to. */
export type Rotation =
  | { outcome: 'rotated'; sessionId: string; userId: string; refreshToken: string }
  /** It had been used before: someone holds a copy, so the session was ended. */
  | { outcome: 'reused'; sessionId: string }
  /** Unknown, or its session expired or ended. */
  | { outcome: 'invalid' };

interface TokenRow {
  session_id: string;
  user_id: string;
  used_at: Date | null;
  live: boolean;
}

async function issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await manager.query(`INSERT INTO users.refresh_tokens (token_hash, session_id) VALUES ($1, $2)`, [refreshTokenHash(token), sessionId]);
  return token;
}

/** Revokes the session unless it is already; true when this call ended it. */
async function endSession(manager: EntityManager, sessionId: string, reason: string): Promise<boolean> {
  const [, count] = await manager.query(`UPDATE users.sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  return count > 0;
}

export function sessionRepository(db: DataSource) {
  /** The token's row and whether its session still runs, locked until the transaction ends. */
  const lockToken = async (manager: EntityManager, token: string): Promise<TokenRow | undefined> =>
    (
      await manager.query(
        `SELECT t.session_id, s.user_id, t.used_at, (s.revoked_at IS NULL AND s.expires_at > now()) AS live
           FROM users.refresh_tokens t JOIN users.sessions s ON s.id = t.session_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
        [refreshTokenHash(token)],
      )
    )[0];

  return {
    async start(userId: string, lifetimeSeconds: number): Promise<StartedSession> {
      return db.transaction(async (manager) => {
        const [{ id: sessionId }] = await manager.query(
          `INSERT INTO users.sessions (user_id, expires_at) VALUES ($1, now() + make_interval(secs => $2)) RETURNING id`,
          [userId, lifetimeSeconds],
        );
        return { sessionId, refreshToken: await issueRefreshToken(manager, sessionId) };
      });
    },

    /**
     * Trades a refresh token for the next one, once: the row lock makes two
     * concurrent uses of one token count as a reuse, never as two rotations.
     */
    async rotate(token: string): Promise<Rotation> {
      return db.transaction(async (manager) => {
        const row = await lockToken(manager, token);
        if (!row?.live) return { outcome: 'invalid' };
        if (row.used_at) {
          await endSession(manager, row.session_id, 'refresh token reused');
          return { outcome: 'reused', sessionId: row.session_id };
        }
        await manager.query(`UPDATE users.refresh_tokens SET used_at = now() WHERE token_hash = $1`, [refreshTokenHash(token)]);
        return { outcome: 'rotated', sessionId: row.session_id, userId: row.user_id, refreshToken: await issueRefreshToken(manager, row.session_id) };
      });
    },

    /** Ends the session any of whose refresh tokens this is; null when the token is unknown. */
    async end(token: string, reason: string): Promise<{ sessionId: string; ended: boolean } | null> {
      return db.transaction(async (manager) => {
        const row = await lockToken(manager, token);
        if (!row) return null;
        return { sessionId: row.session_id, ended: await endSession(manager, row.session_id, reason) };
      });
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
