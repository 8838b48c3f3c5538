import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { issueAccessToken, verifiedClaims } from '../src/jwt';
import { privateSigningKey, type PublicJwk } from '../src/signing-keys';

const issuer = 'commerce-users';
const audience = 'commerce-supergraph';
const ada = { userId: 'u1', role: 'CUSTOMER' as const, scopes: ['orders:read'] };

const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaPem = (modulusLength = 2048) => pem(generateKeyPairSync('rsa', { modulusLength }).privateKey);
const ecPem = (namedCurve = 'P-256') => pem(generateKeyPairSync('ec', { namedCurve }).privateKey);

/** RFC 7638 §3: the SHA-256 of the required members, written in lexical order without spaces. */
const thumbprintOf = (canonicalJson: string) => createHash('sha256').update(canonicalJson).digest('base64url');

/** Verifies as a gateway would: only with the published JWK, pinned to its `alg`. */
function verifyWithJwk(token: string, jwk: PublicJwk) {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verifiedClaims(jwt.verify(token, key, { algorithms: [jwk.alg], issuer, audience }));
}

describe('privateSigningKey', () => {
  it.each([
    ['an RSA key', () => rsaPem(), 'RS256', 'RSA'],
    ['an EC P-256 key', () => ecPem(), 'ES256', 'EC'],
  ])('signs with %s tokens that its public JWK verifies', (_name, makePem, algorithm, kty) => {
    const key = privateSigningKey(makePem());
    expect(key.algorithm).toBe(algorithm);
    expect(key.publicJwk).toMatchObject({ kty, kid: key.keyId, alg: algorithm, use: 'sig' });
    // Only the public half is published.
    expect(key.publicJwk).not.toHaveProperty('d');

    const { token, expiresAt } = issueAccessToken(ada, { key, issuer, audience, expiresInSeconds: 600, sessionId: 's1' });
    expect(jwt.decode(token, { complete: true })?.header).toMatchObject({ alg: algorithm, kid: key.keyId });
    expect(verifyWithJwk(token, key.publicJwk)).toEqual({ identity: ada, expiresAt, sessionId: 's1' });
  });

  it('refuses a token signed by another key', () => {
    const signer = privateSigningKey(rsaPem());
    const other = privateSigningKey(rsaPem());
    const { token } = issueAccessToken(ada, { key: signer, issuer, audience, expiresInSeconds: 600 });
    expect(() => verifyWithJwk(token, other.publicJwk)).toThrow(/invalid signature/);
  });

  it('derives the key id from the key: the same key always, another key never', () => {
    const rsa = rsaPem();
    const ec = ecPem();
    expect(privateSigningKey(rsa).keyId).toBe(privateSigningKey(rsa).keyId);
    expect(privateSigningKey(ec).keyId).toBe(privateSigningKey(ec).keyId);
    expect(privateSigningKey(rsa).keyId).not.toBe(privateSigningKey(rsaPem()).keyId);
    expect(privateSigningKey(ec).keyId).not.toBe(privateSigningKey(ecPem()).keyId);
  });

  it('writes thumbprints out as RFC 7638 does: its own example key gives its published thumbprint', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(thumbprintOf(`{"e":"AQAB","kty":"RSA","n":"${n}"}`)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each([
    ['an RSA key', () => rsaPem(), (jwk: PublicJwk) => `{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`],
    ['an EC key', () => ecPem(), (jwk: PublicJwk) => `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`],
  ])('names %s by its RFC 7638 thumbprint', (_name, makePem, canonical) => {
    const key = privateSigningKey(makePem());
    expect(key.keyId).toBe(thumbprintOf(canonical(key.publicJwk)));
  });

  it.each([
    ['an RSA key of 1024 bits', () => rsaPem(1024)],
    ['an Ed25519 key', () => pem(generateKeyPairSync('ed25519').privateKey)],
    ['an EC P-384 key', () => ecPem('P-384')],
  ])('refuses %s, saying which keys it takes', (_name, makePem) => {
    expect(() => privateSigningKey(makePem())).toThrow('JWT_PRIVATE_KEY must be an RSA key of at least 2048 bits or an EC P-256 key');
  });

  it('reads a PEM written on one line with \\n escapes, as environment files carry it', () => {
    const multiline = ecPem();
    const oneLine = multiline.trimEnd().replace(/\n/g, '\\n');
    expect(oneLine).not.toContain('\n');
    expect(privateSigningKey(oneLine).keyId).toBe(privateSigningKey(multiline).keyId);
  });
});
