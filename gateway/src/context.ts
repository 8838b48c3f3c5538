import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@commerce/service-kit/src/errors';
import type { Identity } from '@commerce/service-kit/src/identity';
import { verifyAccessTokenClaims, type JwtSettings, type VerifiedToken } from '@commerce/service-kit/src/jwt';

/** What every gateway request carries to the data sources: the verified caller, if any. */
export interface GatewayContext {
  identity: Identity | null;
}

const bearer = /^Bearer\s+(\S+)\s*$/i;

function invalidToken(): GraphQLError {
  return new GraphQLError('The access token is invalid or expired; sign in again', {
    extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } },
  });
}

/**
 * No Authorization header means an anonymous caller; a header that does not
 * carry a valid token is refused outright rather than downgraded to
 * anonymous, so a client with an expired session learns it at once.
 */
export function identityFromAuthorization(header: string | undefined, jwt: JwtSettings): Identity | null {
  return tokenFromAuthorization(header, jwt)?.identity ?? null;
}

/** As identityFromAuthorization, with the token's expiry, which long-lived connections need. */
export function tokenFromAuthorization(header: string | undefined, jwt: JwtSettings): VerifiedToken | null {
  if (header === undefined || header === '') return null;
  const token = bearer.exec(header)?.[1];
  if (!token) throw invalidToken();
  const verified = verifyAccessTokenClaims(token, jwt);
  if (!verified) throw invalidToken();
  return verified;
}

export function createContext(jwt: JwtSettings) {
  return async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => ({
    identity: identityFromAuthorization(req.headers.authorization, jwt),
  });
}
