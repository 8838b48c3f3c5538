import { createHmac, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import {
  issueAccessToken,
  type VerifiedToken,
  InMemoryRevokedSessions,
  type RevokedSessions,
  privateSigningKey,
  secretSigningKey,
  type PublicJwk,
} from '@commerce/service-kit';
import { jwksVerifier } from '../src/tokens/jwks-verifier';
import { refusingRevokedSessions, secretVerifier, type AccessTokenVerifier } from '../src/tokens/verifier';
import { jwt as secretSettings } from './helpers';

/**
 * Tokens signed with the issuer's private key, verified against the keys it
 * publishes (a real JWKS endpoint on port 0), and the refusal of revoked
 * sessions' tokens in front of any verifier.
 */

const issuer = 'commerce-users';
const audience = 'commerce-supergraph';
const ada = { userId: 'u1', role: 'CUSTOMER' as const, scopes: ['orders:read', 'orders:write'] };

const rsaPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ecPem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaKey = privateSigningKey(rsaPem());
const ecKey = privateSigningKey(ecPem());
const rotatedKey = privateSigningKey(rsaPem());

interface JwksServer {
  url: string;
  /** How many times the document was fetched. */
  hits(): number;
  publish(keys: object[]): void;
  close(): Promise<void>;
}

const servers: JwksServer[] = [];

async function startJwks(keys: object[]): Promise<JwksServer> {
  let published = keys;
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const jwks: JwksServer = {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    hits: () => hits,
    publish: (next) => {
      published = next;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(jwks);
  return jwks;
}

afterAll(async () => {
  for (const server of servers) await server.close();
});

// The key set's cooldown and cache age are read from the clock: only Date is
// faked, so sockets and timers stay real while a test moves time on.
beforeEach(() => {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
      'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval',
      'setTimeout', 'clearTimeout',
    ],
  });
});
afterEach(() => {
  jest.useRealTimers();
});
const advanceClock = (ms: number) => jest.setSystemTime(Date.now() + ms);

function tokenOf(key: typeof rsaKey, options: { sessionId?: string; expiresInSeconds?: number } = {}) {
  return issueAccessToken(ada, { key, issuer, audience, expiresInSeconds: options.expiresInSeconds ?? 600, sessionId: options.sessionId });
}

/** A token as someone without the private key could make one: any header, any signature. */
function forged(header: object, payload: object, sign: (input: string) => string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign(input)}`;
}

const claims = () => ({ sub: ada.userId, role: ada.role, iss: issuer, aud: audience, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 });

/** An RSA key below the size privateSigningKey accepts, with its JWK, as a careless issuer might publish it. */
function carelesslyPublished(key: ReturnType<typeof generateKeyPairSync>['privateKey'], kid: string) {
  const jwk: PublicJwk = { ...createPublicKey(key).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { key, jwk };
}

async function verifierFor(keys: object[], options: { cooldownMs?: number; maxAgeMs?: number } = {}) {
  const server = await startJwks(keys);
  const errors: unknown[] = [];
  const verifier = jwksVerifier({ url: server.url, issuer, audience, ...options, onError: (error) => errors.push(error) });
  return { server, verifier, errors };
}

describe('jwksVerifier', () => {
  it('verifies an RS256 token against the published key, with the caller, scopes, session and expiry', async () => {
    const { verifier, errors } = await verifierFor([rsaKey.publicJwk, ecKey.publicJwk]);
    const { token, expiresAt } = tokenOf(rsaKey, { sessionId: 's1' });
    expect(await verifier.verify(token)).toEqual<VerifiedToken>({ identity: ada, expiresAt, sessionId: 's1' });
    expect(errors).toEqual([]);
  });

  it('verifies an ES256 token against the published key', async () => {
    const { verifier } = await verifierFor([rsaKey.publicJwk, ecKey.publicJwk]);
    const { token, expiresAt } = tokenOf(ecKey);
    expect(await verifier.verify(token)).toEqual<VerifiedToken>({ identity: ada, expiresAt });
  });

  it('fetches the keys once for tokens that arrive together before the first fetch', async () => {
    const { server, verifier } = await verifierFor([rsaKey.publicJwk]);
    const tokens = Array.from({ length: 5 }, (_, i) => tokenOf(rsaKey, { sessionId: `s${i}` }).token);
    const verified = await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(verified.map((v) => v?.sessionId)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(server.hits()).toBe(1);
  });

  it('refuses an unsigned token (alg none) naming a published key', async () => {
    const { verifier } = await verifierFor([rsaKey.publicJwk]);
    const unsigned = forged({ alg: 'none', typ: 'JWT', kid: rsaKey.keyId }, claims(), () => '');
    expect(await verifier.verify(unsigned)).toBeNull();
  });

  it('refuses an HS256 token whose HMAC secret is the public key (key confusion)', async () => {
    const { verifier } = await verifierFor([rsaKey.publicJwk]);
    const publicPem = createPublicKey(rsaKey.key).export({ type: 'spki', format: 'pem' }).toString();
    const confused = forged({ alg: 'HS256', typ: 'JWT', kid: rsaKey.keyId }, claims(), (input) =>
      createHmac('sha256', publicPem).update(input).digest('base64url'),
    );
    expect(await verifier.verify(confused)).toBeNull();
  });

  it.each(['RS384', 'PS256'] as const)('refuses a token signed by the RS256 key under another algorithm (%s)', async (algorithm) => {
    const { verifier } = await verifierFor([rsaKey.publicJwk]);
    const switched = jwt.sign({ role: ada.role }, rsaKey.key, { algorithm, keyid: rsaKey.keyId, subject: ada.userId, issuer, audience, expiresIn: 600 });
    expect(await verifier.verify(switched)).toBeNull();
  });

  it('refuses a token without a key id, or naming a key that is not published', async () => {
    const { verifier } = await verifierFor([rsaKey.publicJwk]);
    const noKid = jwt.sign({ role: ada.role }, rsaKey.key, { algorithm: 'RS256', subject: ada.userId, issuer, audience, expiresIn: 600 });
    expect(await verifier.verify(noKid)).toBeNull();
    expect(await verifier.verify(tokenOf(rotatedKey).token)).toBeNull();
    // Signed by an unpublished key but naming a published one: the signature decides.
    const borrowed = jwt.sign({ role: ada.role }, rotatedKey.key, { algorithm: 'RS256', keyid: rsaKey.keyId, subject: ada.userId, issuer, audience, expiresIn: 600 });
    expect(await verifier.verify(borrowed)).toBeNull();
  });

  it('refuses an expired token, and one for another issuer or audience', async () => {
    const { verifier } = await verifierFor([rsaKey.publicJwk]);
    const expired = tokenOf(rsaKey, { expiresInSeconds: 60 }).token;
    const otherIssuer = issueAccessToken(ada, { key: rsaKey, issuer: 'someone-else', audience, expiresInSeconds: 600 }).token;
    const otherAudience = issueAccessToken(ada, { key: rsaKey, issuer, audience: 'another-api', expiresInSeconds: 600 }).token;
    expect(await verifier.verify(otherIssuer)).toBeNull();
    expect(await verifier.verify(otherAudience)).toBeNull();
    expect(await verifier.verify(expired)).not.toBeNull();
    advanceClock(61_000);
    expect(await verifier.verify(expired)).toBeNull();
  });

  it('leaves out published keys it would not accept: RSA under 2048 bits, shared secrets, encryption keys', async () => {
    const weak = carelesslyPublished(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'weak');
    const encryption = { ...ecKey.publicJwk, kid: 'enc', use: 'enc' };
    const secret = { kty: 'oct', k: randomBytes(32).toString('base64url'), kid: 'oct', alg: 'HS256' };
    const { verifier } = await verifierFor([weak.jwk, encryption, secret]);

    const byWeak = jwt.sign({ role: ada.role }, weak.key, { algorithm: 'RS256', keyid: 'weak', subject: ada.userId, issuer, audience, expiresIn: 600, allowInsecureKeySizes: true });
    const byEncryptionKey = jwt.sign({ role: ada.role }, ecKey.key, { algorithm: 'ES256', keyid: 'enc', subject: ada.userId, issuer, audience, expiresIn: 600 });
    const bySecret = forged({ alg: 'HS256', typ: 'JWT', kid: 'oct' }, claims(), (input) =>
      createHmac('sha256', Buffer.from(secret.k, 'base64url')).update(input).digest('base64url'),
    );
    expect(await verifier.verify(byWeak)).toBeNull();
    expect(await verifier.verify(byEncryptionKey)).toBeNull();
    expect(await verifier.verify(bySecret)).toBeNull();
  });

  it('fetches the keys again when a token names a new key (rotation), once, and then verifies it', async () => {
    const { server, verifier } = await verifierFor([rsaKey.publicJwk]);
    expect(await verifier.verify(tokenOf(rsaKey).token)).not.toBeNull();
    expect(server.hits()).toBe(1);

    server.publish([rotatedKey.publicJwk, rsaKey.publicJwk]);
    advanceClock(31_000);
    const rotated = tokenOf(rotatedKey);
    expect(await verifier.verify(rotated.token)).toEqual({ identity: ada, expiresAt: rotated.expiresAt });
    expect(server.hits()).toBe(2);

    expect(await verifier.verify(tokenOf(rotatedKey).token)).not.toBeNull();
    expect(await verifier.verify(tokenOf(rsaKey).token)).not.toBeNull();
    expect(server.hits()).toBe(2);
  });

  it('fetches at most once per cooldown however many made-up key ids arrive', async () => {
    const { server, verifier } = await verifierFor([rsaKey.publicJwk]);
    expect(await verifier.verify(tokenOf(rsaKey).token)).not.toBeNull();
    advanceClock(31_000);

    const madeUp = () => forged({ alg: 'RS256', typ: 'JWT', kid: randomBytes(8).toString('hex') }, claims(), () => 'c2lnbmF0dXJl');
    const together = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(madeUp())));
    expect(together.every((verified) => verified === null)).toBe(true);
    for (let i = 0; i < 20; i += 1) {
      advanceClock(1_000);
      expect(await verifier.verify(madeUp())).toBeNull();
    }
    expect(server.hits()).toBe(2);

    // Past the cooldown (30 s since the last fetch) an unknown key id may look once more.
    advanceClock(11_000);
    expect(await verifier.verify(madeUp())).toBeNull();
    expect(server.hits()).toBe(3);
    // The known key was never in doubt.
    expect(await verifier.verify(tokenOf(rsaKey).token)).not.toBeNull();
  });

  it('keeps verifying with the keys it has while the key set cannot be fetched, and says so', async () => {
    const { server, verifier, errors } = await verifierFor([rsaKey.publicJwk, ecKey.publicJwk], { maxAgeMs: 60_000 });
    expect(await verifier.verify(tokenOf(rsaKey).token)).not.toBeNull();
    await server.close();

    advanceClock(61_000);
    expect(await verifier.verify(tokenOf(rsaKey).token)).not.toBeNull();
    expect(errors).toHaveLength(1);
    expect(await verifier.verify(tokenOf(ecKey).token)).not.toBeNull();
    // A key it never had cannot be verified.
    advanceClock(31_000);
    expect(await verifier.verify(tokenOf(rotatedKey).token)).toBeNull();
    expect(errors).toHaveLength(2);
  });
});

describe('refusingRevokedSessions', () => {
  const inner = secretVerifier(secretSettings);
  const sessionToken = (sessionId?: string) =>
    issueAccessToken(ada, {
      key: secretSigningKey(secretSettings.secret),
      issuer: secretSettings.issuer,
      audience: secretSettings.audience,
      expiresInSeconds: 600,
      sessionId,
    }).token;

  it("refuses a revoked session's token and accepts another session's", async () => {
    const revoked = new InMemoryRevokedSessions();
    await revoked.add('signed-out', 600);
    const errors: unknown[] = [];
    const verifier = refusingRevokedSessions(inner, revoked, (error) => errors.push(error));
    expect(await verifier.verify(sessionToken('signed-out'))).toBeNull();
    expect(await verifier.verify(sessionToken('still-in'))).toMatchObject({ identity: ada, sessionId: 'still-in' });
    // A token naming no session has nothing to revoke.
    expect(await verifier.verify(sessionToken())).toMatchObject({ identity: ada });
    expect(errors).toEqual([]);
  });

  it('still refuses what the verifier it wraps refuses', async () => {
    const verifier = refusingRevokedSessions(inner, new InMemoryRevokedSessions(), () => undefined);
    expect(await verifier.verify(`${sessionToken('s1')}x`)).toBeNull();
  });

  it('takes a token on its signature alone while the list cannot be read, and reports why', async () => {
    const failure = new Error('Redis is away');
    const unreadable: RevokedSessions = {
      add: async () => undefined,
      has: async () => {
        throw failure;
      },
      revokedAmong: async () => {
        throw failure;
      },
      watch: () => () => undefined,
      close: async () => undefined,
    };
    const errors: unknown[] = [];
    const verifier: AccessTokenVerifier = refusingRevokedSessions(inner, unreadable, (error) => errors.push(error));
    expect(await verifier.verify(sessionToken('s1'))).toMatchObject({ identity: ada, sessionId: 's1' });
    expect(errors).toEqual([failure]);
  });
});
