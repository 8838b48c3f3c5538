import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { Identity, Role } from './identity';
import { roles } from './identity';
import type { SigningKey } from './signing-keys';

/** The quickstart's shared-secret (HS256) settings, which the gateway verifies with too. */
export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

// Handed a string, jsonwebtoken first tries it as a PEM public key; that
// failure costs ~0.7 ms per verification, most of a gateway request. A
// KeyObject made once per secret skips it (~15 µs).
const secretKeys = new Map<string, KeyObject>();
export function secretKeyFor(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    secretKeys.set(secret, key);
  }
  return key;
}

export interface AccessTokenOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  expiresInSeconds: number;
  /** The sign-in session it belongs to (`sid`); signing out revokes every token of it. */
  sessionId?: string;
}

export interface IssuedAccessToken {
  token: string;
  /** In ms since the epoch. */
  expiresAt: number;
}

/** Issued by the users subgraph; `identity.scopes` become the OAuth2-style `scope` claim. */
export function issueAccessToken(identity: Identity, options: AccessTokenOptions): IssuedAccessToken {
  const claims: Record<string, unknown> = { role: identity.role };
  if (identity.scopes?.length) claims.scope = identity.scopes.join(' ');
  if (options.sessionId) claims.sid = options.sessionId;
  const token = jwt.sign(claims, options.key.key, {
    algorithm: options.key.algorithm,
    ...(options.key.keyId ? { keyid: options.key.keyId } : {}),
    subject: identity.userId,
    issuer: options.issuer,
    audience: options.audience,
    expiresIn: options.expiresInSeconds,
  });
  const { exp } = jwt.decode(token) as JwtPayload;
  return { token, expiresAt: exp! * 1000 };
}

/** An HS256 token under the quickstart's shared secret (tests and benchmarks mint callers with it). */
export function signAccessToken(identity: Identity, settings: JwtSettings, expiresInSeconds = 3600): string {
  const key: SigningKey = { algorithm: 'HS256', key: secretKeyFor(settings.secret) };
  return issueAccessToken(identity, { key, issuer: settings.issuer, audience: settings.audience, expiresInSeconds }).token;
}

export interface VerifiedToken {
  identity: Identity;
  /** When the token stops being valid, in ms since the epoch; long-lived connections end then. */
  expiresAt: number;
  /** The session it was issued in, when it names one; a revoked session's tokens are refused. */
  sessionId?: string;
}

/** What a verified token's claims say, or null when they do not name a caller. */
export function verifiedClaims(claims: string | JwtPayload): VerifiedToken | null {
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
  const role = claims.role as Role;
  if (!roles.includes(role)) return null;
  // A space-separated list, as OAuth2 (RFC 6749 §3.3) and Apollo Router's @requiresScopes read it.
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((scope) => scope !== '') : [];
  const verified: VerifiedToken = { identity: { userId: claims.sub, role, scopes }, expiresAt: claims.exp * 1000 };
  if (typeof claims.sid === 'string') verified.sessionId = claims.sid;
  return verified;
}

/**
 * Verifies an HS256 token. The algorithm, issuer and audience are pinned, so a
 * token signed with `none` or for another audience is refused. Returns null
 * for any token that does not verify.
 */
export function verifyAccessTokenClaims(token: string, settings: JwtSettings): VerifiedToken | null {
  try {
    return verifiedClaims(
      jwt.verify(token, secretKeyFor(settings.secret), { algorithms: ['HS256'], issuer: settings.issuer, audience: settings.audience }),
    );
  } catch {
    return null;
  }
}

/** The caller an HS256 token names, or null for any token that does not verify. */
export function verifyAccessToken(token: string, settings: JwtSettings): Identity | null {
  return verifyAccessTokenClaims(token, settings)?.identity ?? null;
}
