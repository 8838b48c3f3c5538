import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { InMemoryRevokedSessions, verifiedClaims, verifyAccessTokenClaims, type PublicJwk, type VerifiedToken } from '@commerce/service-kit';
import { postGraphQL, startIsolatedSubgraph, testConfig, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import { jwksPath, usersSubgraph } from '../src/server';
import { scopesByRole } from '../src/domain/scopes';

/**
 * Sign-in sessions: short-lived access tokens naming their session, single-use
 * refresh tokens that rotate, and ending a session (sign-out, or a refresh
 * token presented twice) by revoking it for every gateway.
 */

const settings = { secret: testConfig.JWT_SECRET, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE };
const accessTtlMs = testConfig.JWT_ACCESS_TTL_SECONDS * 1000;

let subgraph: IsolatedSubgraph;
let revoked: InMemoryRevokedSessions;

beforeAll(async () => {
  revoked = new InMemoryRevokedSessions();
  subgraph = await startIsolatedSubgraph(usersSubgraph, undefined, undefined, revoked);
});

afterAll(async () => {
  await subgraph?.stop();
});

interface AuthPayload {
  token: string;
  expiresAt: string;
  refreshToken: string;
  user: { id: string; role: string };
}

const payload = 'token expiresAt refreshToken user { id role }';
const signUpMutation = `mutation ($input: SignUpInput!) { signUp(input: $input) { ${payload} } }`;
const signInMutation = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ${payload} } }`;
const refreshMutation = `mutation ($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${payload} } }`;
const signOutMutation = `mutation ($refreshToken: String!) { signOut(refreshToken: $refreshToken) }`;

let accounts = 0;
/** A new account of its own, signed up (and so signed in) in a session of its own. */
async function signUp(role: 'CUSTOMER' | 'COURIER' | 'SHOP_OWNER' = 'CUSTOMER', url = subgraph.url) {
  accounts += 1;
  const email = `session-${accounts}-${Date.now()}@example.com`;
  const result = await postGraphQL<{ signUp: AuthPayload }>(url, signUpMutation, { input: { email, password: 'long enough', name: 'Sam', role } });
  expect(result.errors).toBeUndefined();
  return { email, session: result.data!.signUp };
}

async function refresh(refreshToken: string) {
  return postGraphQL<{ refreshSession: AuthPayload }>(subgraph.url, refreshMutation, { refreshToken });
}

async function signOut(refreshToken: string) {
  return postGraphQL<{ signOut: boolean }>(subgraph.url, signOutMutation, { refreshToken });
}

/** The access token as a gateway sees it, or a failed test when it does not verify. */
function verified(session: AuthPayload): VerifiedToken {
  const claims = verifyAccessTokenClaims(session.token, settings);
  expect(claims).not.toBeNull();
  return claims!;
}

const errorCode = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const decoded = (token: string, part: 0 | 1) => JSON.parse(Buffer.from(token.split('.')[part]!, 'base64url').toString('utf8'));

function expectExpiryAboutOneTtlFromNow(session: AuthPayload, before: number, after: number) {
  const expiresAt = Date.parse(session.expiresAt);
  // exp is whole seconds, so the expiry may fall up to a second before now + TTL.
  expect(expiresAt).toBeGreaterThanOrEqual(before + accessTtlMs - 1_000);
  expect(expiresAt).toBeLessThanOrEqual(after + accessTtlMs);
  expect(verified(session).expiresAt).toBe(expiresAt);
}

describe('sessions', () => {
  it('signs up with an access token naming its session, its expiry, and a refresh token', async () => {
    const before = Date.now();
    const { session } = await signUp();
    const after = Date.now();

    expect(session.refreshToken).toEqual(expect.any(String));
    expect(session.refreshToken.length).toBeGreaterThanOrEqual(32);
    expectExpiryAboutOneTtlFromNow(session, before, after);
    const claims = verified(session);
    expect(claims.identity).toEqual({ userId: session.user.id, role: 'CUSTOMER', scopes: scopesByRole.CUSTOMER });
    expect(claims.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(decoded(session.token, 1).sid).toBe(claims.sessionId);
  });

  it('signs in to a session of its own, apart from the sign-up one', async () => {
    const { email, session: signedUp } = await signUp();
    const before = Date.now();
    const result = await postGraphQL<{ signIn: AuthPayload }>(subgraph.url, signInMutation, { email, password: 'long enough' });
    const after = Date.now();
    expect(result.errors).toBeUndefined();
    const signedIn = result.data!.signIn;

    expectExpiryAboutOneTtlFromNow(signedIn, before, after);
    expect(signedIn.refreshToken).not.toBe(signedUp.refreshToken);
    expect(verified(signedIn).identity.userId).toBe(signedUp.user.id);
    expect(verified(signedIn).sessionId).toEqual(expect.any(String));
    expect(verified(signedIn).sessionId).not.toBe(verified(signedUp).sessionId);
  });

  it('trades a refresh token for a new pair in the same session', async () => {
    const { session } = await signUp();
    const before = Date.now();
    const result = await refresh(session.refreshToken);
    const after = Date.now();
    expect(result.errors).toBeUndefined();
    const next = result.data!.refreshSession;

    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect(next.user.id).toBe(session.user.id);
    expectExpiryAboutOneTtlFromNow(next, before, after);
    expect(verified(next).identity).toEqual(verified(session).identity);
    expect(verified(next).sessionId).toBe(verified(session).sessionId);

    // The new refresh token works in turn.
    const third = await refresh(next.refreshToken);
    expect(third.errors).toBeUndefined();
    expect(verified(third.data!.refreshSession).sessionId).toBe(verified(session).sessionId);
  });

  it('ends the whole session when a used refresh token comes back, and revokes its access tokens', async () => {
    const { session } = await signUp();
    const { session: otherSession } = await signUp();
    const sessionId = verified(session).sessionId!;
    const next = (await refresh(session.refreshToken)).data!.refreshSession;
    expect(await revoked.has(sessionId)).toBe(false);

    const replayed = await refresh(session.refreshToken);
    expect(errorCode(replayed)).toBe('INVALID_REFRESH_TOKEN');
    expect(replayed.data).toBeNull();
    // Whoever holds the newer token loses the session too: one of the two is not its owner.
    expect(errorCode(await refresh(next.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
    expect(await revoked.has(sessionId)).toBe(true);

    // Other sessions go on.
    expect(await revoked.has(verified(otherSession).sessionId!)).toBe(false);
    expect((await refresh(otherSession.refreshToken)).errors).toBeUndefined();
  });

  it('signs out: the refresh token stops working and the access tokens are revoked', async () => {
    const { session } = await signUp();
    const sessionId = verified(session).sessionId!;
    const next = (await refresh(session.refreshToken)).data!.refreshSession;

    const result = await signOut(next.refreshToken);
    expect(result).toEqual({ data: { signOut: true } });
    expect(await revoked.has(sessionId)).toBe(true);
    expect(errorCode(await refresh(next.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('answers false to signing out again, and records the revocation again in case the first could not', async () => {
    const { session } = await signUp();
    const sessionId = verified(session).sessionId!;
    expect((await signOut(session.refreshToken)).data?.signOut).toBe(true);

    const add = jest.spyOn(revoked, 'add');
    try {
      expect(await signOut(session.refreshToken)).toEqual({ data: { signOut: false } });
      expect(add).toHaveBeenCalledWith(sessionId, testConfig.JWT_ACCESS_TTL_SECONDS);
    } finally {
      add.mockRestore();
    }
    expect(await revoked.has(sessionId)).toBe(true);
  });

  it('refuses an unknown refresh token, and answers false to signing out with one', async () => {
    const unknown = 'not-a-refresh-token-anyone-was-given';
    const refused = await refresh(unknown);
    expect(errorCode(refused)).toBe('INVALID_REFRESH_TOKEN');
    expect(refused.data).toBeNull();
    expect(await signOut(unknown)).toEqual({ data: { signOut: false } });
  });

  it('refuses the refresh token of a session past its lifetime', async () => {
    const { session } = await signUp();
    const sessionId = verified(session).sessionId!;
    await subgraph.dataSource.query(`UPDATE users.sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sessionId]);
    expect(errorCode(await refresh(session.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('lets only one of two simultaneous refreshes with the same token through, and ends the session as a reuse', async () => {
    const { session } = await signUp();
    const sessionId = verified(session).sessionId!;

    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    const succeeded = results.filter((result) => result.errors === undefined);
    const refused = results.filter((result) => errorCode(result) === 'INVALID_REFRESH_TOKEN');
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(1);

    expect(await revoked.has(sessionId)).toBe(true);
    expect(errorCode(await refresh(succeeded[0]!.data!.refreshSession.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('stores refresh tokens only as hashes', async () => {
    const { session } = await signUp();
    const next = (await refresh(session.refreshToken)).data!.refreshSession;
    const sessionId = verified(session).sessionId!;

    const rows: { token_hash: string }[] = await subgraph.dataSource.query(`SELECT token_hash FROM users.refresh_tokens WHERE session_id = $1`, [sessionId]);
    const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
    expect(rows.map((row) => row.token_hash).sort()).toEqual([sha256(session.refreshToken), sha256(next.refreshToken)].sort());

    for (const token of [session.refreshToken, next.refreshToken]) {
      const [{ n }] = await subgraph.dataSource.query(
        `SELECT (SELECT count(*) FROM users.refresh_tokens t WHERE t::text LIKE '%' || $1 || '%')
              + (SELECT count(*) FROM users.sessions s WHERE s::text LIKE '%' || $1 || '%') AS n`,
        [token],
      );
      expect(Number(n)).toBe(0);
    }
  });

  it('issues the role the account has now on refresh', async () => {
    const { session } = await signUp('CUSTOMER');
    await subgraph.dataSource.query(`UPDATE users.users SET role = 'COURIER' WHERE id = $1`, [session.user.id]);

    const next = (await refresh(session.refreshToken)).data!.refreshSession;
    expect(next.user.role).toBe('COURIER');
    expect(verified(next).identity).toEqual({ userId: session.user.id, role: 'COURIER', scopes: scopesByRole.COURIER });
  });
});

describe('the JWKS document', () => {
  const jwksUrl = (graphqlUrl: string) => new URL(jwksPath, graphqlUrl).toString();

  it('publishes no keys while tokens are signed with the shared secret', async () => {
    const response = await fetch(jwksUrl(subgraph.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keys: [] });
  });

  describe('with JWT_PRIVATE_KEY', () => {
    let signing: IsolatedSubgraph;

    beforeAll(async () => {
      const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      // As an environment file carries it: one line with \n escapes.
      signing = await startIsolatedSubgraph(usersSubgraph, undefined, undefined, new InMemoryRevokedSessions(), {
        JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      });
    });

    afterAll(async () => {
      await signing?.stop();
    });

    it('publishes the public key, and signs tokens the key verifies and names', async () => {
      const response = await fetch(jwksUrl(signing.url));
      expect(response.status).toBe(200);
      const { keys } = (await response.json()) as { keys: PublicJwk[] };
      expect(keys).toHaveLength(1);
      const [jwk] = keys;
      expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      expect(jwk).not.toHaveProperty('d');

      const { session } = await signUp('CUSTOMER', signing.url);
      const next = (await postGraphQL<{ refreshSession: AuthPayload }>(signing.url, refreshMutation, { refreshToken: session.refreshToken })).data!
        .refreshSession;
      for (const issued of [session, next]) {
        expect(decoded(issued.token, 0)).toEqual({ alg: 'RS256', typ: 'JWT', kid: jwk!.kid });
        const [header, body, signature] = issued.token.split('.') as [string, string, string];
        const publicKey = createPublicKey({ key: jwk!, format: 'jwk' });
        expect(verify('sha256', Buffer.from(`${header}.${body}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
        const claims = decoded(issued.token, 1);
        expect(claims).toMatchObject({ iss: testConfig.JWT_ISSUER, aud: testConfig.JWT_AUDIENCE });
        expect(verifiedClaims(claims)).toEqual({
          identity: { userId: session.user.id, role: 'CUSTOMER', scopes: scopesByRole.CUSTOMER },
          expiresAt: Date.parse(issued.expiresAt),
          sessionId: expect.any(String),
        });
      }
      // No longer a token the shared secret would pass.
      expect(verifyAccessTokenClaims(session.token, settings)).toBeNull();
    });
  });
});
