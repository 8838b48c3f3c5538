import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Identity, Role } from './identity';
import { roles } from './identity';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

const algorithm = 'HS256';

// Handed a string, jsonwebtoken first tries it as a PEM public key; that
// failure costs ~0.7 ms per verification, most of a gateway request. A
// KeyObject made once per secret skips it (~15 µs).
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    keys.set(secret, key);
  }
  return key;
}

/** Issued by the users subgraph at sign-up and sign-in; `identity.scopes` become the OAuth2-style `scope` claim. */
export function signAccessToken(identity: Identity, settings: JwtSettings, expiresInSeconds = 3600): string {
  const claims = identity.scopes?.length ? { role: identity.role, scope: identity.scopes.join(' ') } : { role: identity.role };
  return jwt.sign(claims, keyFor(settings.secret), {
    algorithm,
    subject: identity.userId,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: expiresInSeconds,
  });
}

export interface VerifiedToken {
  identity: Identity;
  /** When the token stops being valid, in ms since the epoch; long-lived connections end then. */
  expiresAt: number;
}

/**
 * Verified by the gateway. The algorithm, issuer and audience are pinned, so a
 * token signed with `none` or for another audience is refused. Returns null
 * for any token that does not verify.
 */
export function verifyAccessTokenClaims(token: string, settings: JwtSettings): VerifiedToken | null {
  try {
    const claims = jwt.verify(token, keyFor(settings.secret), {
      algorithms: [algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    const role = claims.role as Role;
    if (!roles.includes(role)) return null;
    // A space-separated list, as OAuth2 (RFC 6749 §3.3) and Apollo Router's @requiresScopes read it.
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((scope) => scope !== '') : [];
    return { identity: { userId: claims.sub, role, scopes }, expiresAt: claims.exp * 1000 };
  } catch {
    return null;
  }
}

/** The caller a token names, or null for any token that does not verify. */
export function verifyAccessToken(token: string, settings: JwtSettings): Identity | null {
  return verifyAccessTokenClaims(token, settings)?.identity ?? null;
}
