import type { Identity } from '@commerce/service-kit/src/identity';

interface Entry {
  identity: Identity;
  expiresAtMs: number;
}

/** The `exp` claim of a token whose signature has already been verified, in ms; null when it has none. */
export function expiryOf(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Remembers tokens that verified, until they expire. A client sends the same
 * token with every request for its lifetime, and verifying it again each
 * time was the largest single cost in the gateway's profile (jsonwebtoken
 * first tries the HMAC secret as a PEM public key, and that failure costs
 * ~0.7 ms). The key is the whole token, signature included, so only the
 * exact bytes that verified can hit; expiry is checked on every hit. Failed
 * tokens are never remembered. Least recently used entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, nowMs = Date.now()): Identity | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.expiresAtMs <= nowMs) return undefined;
    this.entries.set(token, entry);
    return entry.identity;
  }

  set(token: string, identity: Identity): void {
    const expiresAtMs = expiryOf(token);
    if (expiresAtMs === null) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { identity, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
