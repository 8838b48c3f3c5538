import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client as WsClient, createClient } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { RedisRevokedSessions, signAccessToken, createLogger } from '@commerce/service-kit';
import { postGraphQL, testConfig } from '@commerce/service-kit/testing';
import { jwksPath } from '@commerce/users';
import { createGateway, type RunningGateway } from '@commerce/gateway';
import { jwksVerifier } from '@commerce/gateway';
import { supergraphPath } from '../scripts/stack';
import { testPassword } from './support/graph';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

// Sessions as a deployment runs them: the users subgraph signs with a private
// key, every gateway verifies against its JWKS and shares the signed-out
// sessions through Redis.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

let stack: TestStack;
let second: RunningGateway;
let secondRevoked: RedisRevokedSessions;
const sockets: WsClient[] = [];

beforeAll(async () => {
  stack = await startTestStack({ JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
  const jwksUrl = new URL(jwksPath, stack.services.users!.subgraph.url).href;
  secondRevoked = RedisRevokedSessions.open({ url: testRedisUrl, namespace: stack.namespace });
  second = await createGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.subgraph.url])),
    jwt: jwksVerifier({ url: jwksUrl, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE }),
    revokedSessions: secondRevoked,
    logger: createLogger('gateway', 'silent'),
  });
});

afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await second?.close();
  await secondRevoked?.close();
  await stack?.stop();
});

interface AuthPayload {
  token: string;
  expiresAt: string;
  refreshToken: string;
  user: { id: string };
}

const payload = 'token expiresAt refreshToken user { id }';

async function signUp(): Promise<AuthPayload> {
  const email = `session-${Math.random().toString(36).slice(2)}@example.com`;
  const result = await postGraphQL<{ signUp: AuthPayload }>(
    stack.gatewayUrl,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { ${payload} } }`,
    { input: { email, password: testPassword, name: 'Session Tester' } },
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.signUp;
}

const refresh = (refreshToken: string) =>
  postGraphQL<{ refreshSession: AuthPayload }>(stack.gatewayUrl, `mutation ($t: String!) { refreshSession(refreshToken: $t) { ${payload} } }`, { t: refreshToken });

const signOut = (refreshToken: string) => postGraphQL<{ signOut: boolean }>(stack.gatewayUrl, `mutation ($t: String!) { signOut(refreshToken: $t) }`, { t: refreshToken });

/** `me` through a gateway with this access token: the id, or the error code. */
async function me(url: string, token: string): Promise<string> {
  const result = await postGraphQL<{ me: { id: string } }>(url, `{ me { id } }`, {}, { authorization: `Bearer ${token}` });
  return result.data?.me?.id ?? String(result.errors?.[0]?.extensions?.code);
}

/** Opens a graphql-ws connection with this token and subscribes; resolves with the close code or 'subscribed'. */
function subscribeWith(token: string): Promise<number | 'subscribed'> {
  return new Promise((resolve) => {
    const client = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: (event) => resolve((event as { code: number }).code), connected: () => resolve('subscribed') },
    });
    sockets.push(client);
  });
}

describe('sessions', () => {
  it('issues RS256 access tokens with a key id the gateway finds in the users JWKS, and refuses HS256 ones', async () => {
    const session = await signUp();
    const header = jwt.decode(session.token, { complete: true })!.header;
    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const jwks = (await (await fetch(new URL(jwksPath, stack.services.users!.subgraph.url))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: header.kid, alg: 'RS256', kty: 'RSA', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(await me(stack.gatewayUrl, session.token)).toBe(session.user.id);
    expect(await me(second.url, session.token)).toBe(session.user.id);
    // Valid under the shared secret the stack also has, but this deployment pins verification to its published keys.
    const hs256 = signAccessToken({ userId: session.user.id, role: 'CUSTOMER' }, { secret: testConfig.JWT_SECRET, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE });
    expect(await me(stack.gatewayUrl, hs256)).toBe('UNAUTHENTICATED');
  });

  it('refreshes with a new pair, and the old refresh token is used up', async () => {
    const first = await signUp();
    const refreshed = await refresh(first.refreshToken);
    expect(refreshed.errors).toBeUndefined();
    const next = refreshed.data!.refreshSession;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.user.id).toBe(first.user.id);
    expect(Date.parse(next.expiresAt)).toBeGreaterThan(Date.now());
    expect(await me(stack.gatewayUrl, next.token)).toBe(first.user.id);
    // The same session: both access tokens name it.
    expect((jwt.decode(next.token) as { sid: string }).sid).toBe((jwt.decode(first.token) as { sid: string }).sid);
  });

  it('signing out refuses the session at every gateway instance, over HTTP and WebSocket, and its refresh tokens', async () => {
    const session = await signUp();
    expect(await subscribeWith(session.token)).toBe('subscribed');
    const result = await signOut(session.refreshToken);
    expect(result.data).toEqual({ signOut: true });
    expect(await me(stack.gatewayUrl, session.token)).toBe('UNAUTHENTICATED');
    expect(await me(second.url, session.token)).toBe('UNAUTHENTICATED');
    expect(await subscribeWith(session.token)).toBe(4403);
    expect((await refresh(session.refreshToken)).errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    // Again: nothing left to end, and no error.
    expect((await signOut(session.refreshToken)).data).toEqual({ signOut: false });
  });

  it('a refresh token presented twice ends its session: the thief and the owner both sign in again', async () => {
    const session = await signUp();
    const email = await userEmail(session.token);
    const first = (await refresh(session.refreshToken)).data!.refreshSession;
    const replay = await refresh(session.refreshToken);
    expect(replay.errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    expect((await refresh(first.refreshToken)).errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    expect(await me(stack.gatewayUrl, first.token)).toBe('UNAUTHENTICATED');
    // Another session of the same user carries on.
    const signIn = await postGraphQL<{ signIn: AuthPayload }>(
      stack.gatewayUrl,
      `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { ${payload} } }`,
      { e: email, p: testPassword },
    );
    expect(await me(stack.gatewayUrl, signIn.data!.signIn.token)).toBe(session.user.id);
  });

  it('writes nothing for an unknown refresh token', async () => {
    const counts = async () => (await stack.services.users!.database.dataSource.query(`SELECT (SELECT count(*) FROM users.sessions) AS s, (SELECT count(*) FROM users.refresh_tokens) AS t`))[0];
    const before = await counts();
    expect((await refresh('not-a-refresh-token')).errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    expect((await signOut('not-a-refresh-token')).data).toEqual({ signOut: false });
    expect(await counts()).toEqual(before);
  });
});

async function userEmail(token: string): Promise<string> {
  const result = await postGraphQL<{ me: { email: string } }>(stack.gatewayUrl, `{ me { email } }`, {}, { authorization: `Bearer ${token}` });
  return result.data!.me.email;
}
