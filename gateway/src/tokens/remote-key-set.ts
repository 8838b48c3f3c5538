import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { algorithmOf, type AsymmetricAlgorithm } from '@commerce/service-kit';

export interface VerificationKey {
  key: KeyObject;
  algorithm: AsymmetricAlgorithm;
}

export interface RemoteKeySetOptions {
  /** The issuer's JWKS document, e.g. http://users:4001/.well-known/jwks.json. */
  url: string;
  /** How long a fetched key set is used before it is fetched again. */
  maxAgeMs?: number;
  /** The least time between two fetches, so tokens with made-up key ids cannot make us hammer the issuer. */
  cooldownMs?: number;
  fetch?: typeof fetch;
  /** Told when the key set cannot be fetched; verification goes on with the keys it had. */
  onError?: (error: unknown) => void;
}

/**
 * The issuer's public keys, fetched on first use and kept; a key id it has
 * not seen makes it look again (the issuer rotated its key), at most once per
 * cooldown. Keys of a type or size we do not accept are left out.
 */
export class RemoteKeySet {
  private keys = new Map<string, VerificationKey>();
  private fetchedAt = -Infinity;
  private inFlight: Promise<void> | null = null;
  private readonly maxAgeMs: number;
  private readonly cooldownMs: number;

  constructor(private readonly options: RemoteKeySetOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  async key(keyId: string): Promise<VerificationKey | null> {
    // A fetch under way already counts for the cooldown: wait for its keys rather than refuse.
    if (this.inFlight) await this.inFlight;
    const age = Date.now() - this.fetchedAt;
    if (age > this.maxAgeMs || (!this.keys.has(keyId) && age > this.cooldownMs)) await this.refresh();
    return this.keys.get(keyId) ?? null;
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    // A failed fetch counts as one too, for the cooldown's sake.
    this.fetchedAt = Date.now();
    try {
      const response = await (this.options.fetch ?? fetch)(this.options.url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`${this.options.url} answered ${response.status}`);
      const document = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(document.keys)) throw new Error(`${this.options.url} is not a JWKS document`);
      this.keys = new Map(document.keys.flatMap((jwk: JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown }) => {
        if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) return [];
        try {
          const key = createPublicKey({ key: jwk, format: 'jwk' });
          const algorithm = algorithmOf(key);
          // A key published for another algorithm than its type allows us is left out, not reinterpreted.
          if (!algorithm || (jwk.alg !== undefined && jwk.alg !== algorithm)) return [];
          return [[jwk.kid, { key, algorithm }] as const];
        } catch {
          return [];
        }
      }));
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
