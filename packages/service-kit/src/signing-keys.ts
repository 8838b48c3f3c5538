import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { secretKeyFor } from './jwt';

export type AsymmetricAlgorithm = 'RS256' | 'ES256';

/** What the users subgraph signs access tokens with. */
export type SigningKey =
  | { algorithm: 'HS256'; key: KeyObject; keyId?: undefined }
  | { algorithm: AsymmetricAlgorithm; key: KeyObject; keyId: string };

/** A public key as published in a JWKS document (RFC 7517). */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  use: 'sig';
}

/**
 * The one algorithm a key may sign with, from its type: a key is never
 * trusted with an algorithm the token header picks (RFC 8725 §3.1).
 */
export function algorithmOf(key: KeyObject): AsymmetricAlgorithm | null {
  if (key.asymmetricKeyType === 'rsa') return (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 ? 'RS256' : null;
  if (key.asymmetricKeyType === 'ec') return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ES256' : null;
  return null;
}

/** RFC 7638: the SHA-256 of the key's required members in lexical order, so the id follows from the key. */
function thumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/**
 * A PEM private key (RSA of 2048 bits or more, or EC P-256) from
 * configuration. Environment files often carry it on one line with `\n`
 * escapes, so those are read as newlines.
 */
export function privateSigningKey(pem: string): SigningKey & { publicJwk: PublicJwk } {
  const key = createPrivateKey(pem.replace(/\\n/g, '\n'));
  const algorithm = algorithmOf(key);
  if (!algorithm) throw new Error('JWT_PRIVATE_KEY must be an RSA key of at least 2048 bits or an EC P-256 key');
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const keyId = thumbprint(jwk);
  return { algorithm, key, keyId, publicJwk: { ...jwk, kid: keyId, alg: algorithm, use: 'sig' } };
}

export function secretSigningKey(secret: string): SigningKey {
  return { algorithm: 'HS256', key: secretKeyFor(secret) };
}
