import { domainError, ErrorCode, issueAccessToken, type RevokedSessions, type SigningKey } from '@commerce/service-kit';
import type { UserRepository } from '../data/user-repository';
import type { UserRow } from '../data/rows';
import type { SessionRepository } from '../data/session-repository';
import { scopesByRole } from './scopes';

export interface TokenSettings {
  key: SigningKey;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  /** How long a session lasts from sign-in, however often it is refreshed. */
  sessionTtlSeconds: number;
}

/** A signed-in session as the client receives it (AuthPayload). */
export interface Session {
  /** The access token. */
  token: string;
  /** When the access token expires (ISO 8601). */
  expiresAt: string;
  refreshToken: string;
  user: UserRow;
}

const invalidRefreshToken = (message: string) => domainError(ErrorCode.InvalidRefreshToken, message);

/**
 * Short-lived access tokens, each naming its session, and single-use refresh
 * tokens that rotate. Ending a session (sign-out, or a refresh token used
 * twice) refuses its refresh tokens here and, through `revoked`, its access
 * tokens at every gateway until the last of them would have expired anyway.
 */
export function sessions(repository: SessionRepository, users: UserRepository, tokens: TokenSettings, revoked: RevokedSessions) {
  const signedIn = (user: UserRow, sessionId: string, refreshToken: string): Session => {
    const access = issueAccessToken(
      { userId: user.id, role: user.role, scopes: scopesByRole[user.role] },
      { key: tokens.key, issuer: tokens.issuer, audience: tokens.audience, expiresInSeconds: tokens.accessTtlSeconds, sessionId },
    );
    return { token: access.token, expiresAt: new Date(access.expiresAt).toISOString(), refreshToken, user };
  };
  const revokeAccessTokens = (sessionId: string) => revoked.add(sessionId, tokens.accessTtlSeconds);

  return {
    async start(user: UserRow): Promise<Session> {
      const { sessionId, refreshToken } = await repository.start(user.id, tokens.sessionTtlSeconds);
      return signedIn(user, sessionId, refreshToken);
    },

    async refresh(refreshToken: string): Promise<Session> {
      const rotation = await repository.rotate(refreshToken);
      if (rotation.outcome === 'reused') {
        await revokeAccessTokens(rotation.sessionId);
        throw invalidRefreshToken('This refresh token was used before, so its session has been ended; sign in again');
      }
      if (rotation.outcome === 'invalid') throw invalidRefreshToken('The refresh token is unknown, expired or signed out; sign in again');
      // The role is read again: a token refreshed after a role change carries the new one.
      const [user] = await users.findByIds([rotation.userId]);
      if (!user) throw invalidRefreshToken('The account of this session no longer exists');
      return signedIn(user, rotation.sessionId, rotation.refreshToken);
    },

    /**
     * True when this ended the session; false when it had ended already or the
     * token is unknown. Repeating it is harmless, and repeats the revocation
     * of the access tokens in case the first attempt could not record it.
     */
    async signOut(refreshToken: string): Promise<boolean> {
      const session = await repository.end(refreshToken, 'signed out');
      if (!session) return false;
      await revokeAccessTokens(session.sessionId);
      return session.ended;
    },
  };
}

export type Sessions = ReturnType<typeof sessions>;
