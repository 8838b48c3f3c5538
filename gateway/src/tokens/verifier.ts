import { type RevokedSessions, verifyAccessTokenClaims, type JwtSettings, type VerifiedToken } from '@commerce/service-kit';

/** Turns a bearer token into the caller it names, or null when it must not be believed. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifiedToken | null>;
}

/** The quickstart's shared secret (HS256). */
export function secretVerifier(settings: JwtSettings): AccessTokenVerifier {
  return { verify: async (token) => verifyAccessTokenClaims(token, settings) };
}

/**
 * Refuses, besides what `verifier` refuses, every token of a session that was
 * signed out of. While the list cannot be read (Redis away) tokens are taken
 * on their signature alone, as every other request goes on without Redis: a
 * revoked session's token then lives at most until it expires.
 */
export function refusingRevokedSessions(
  verifier: AccessTokenVerifier,
  revoked: RevokedSessions,
  onError: (error: unknown) => void,
): AccessTokenVerifier {
  return {
    async verify(token) {
      const verified = await verifier.verify(token);
      if (!verified?.sessionId) return verified;
      try {
        return (await revoked.has(verified.sessionId)) ? null : verified;
      } catch (error) {
        onError(error);
        return verified;
      }
    },
  };
}

/** GatewayOptions take either the quickstart's settings or a verifier built for the deployment. */
export function toVerifier(tokens: JwtSettings | AccessTokenVerifier): AccessTokenVerifier {
  return 'verify' in tokens ? tokens : secretVerifier(tokens);
}
