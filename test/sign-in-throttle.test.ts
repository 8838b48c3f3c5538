import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createGateway, InMemorySignInAttempts, RedisSignInAttempts, type RunningGateway, type SignInAttempts } from '@commerce/gateway';
import { createLogger } from '@commerce/service-kit';
import { testConfig } from '@commerce/service-kit/testing';
import { supergraphPath } from '../scripts/stack';
import { signUp, testPassword } from './support/graph';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

// Failed sign-ins are counted per account and per client address, in Redis
// shared by every gateway instance (or in process for the quickstart); past
// a limit, sign-in is refused before the users subgraph checks a password.

let stack: TestStack;
let a: RunningGateway;
let b: RunningGateway;
const stops: (() => Promise<void>)[] = [];
const limits = { perAccount: 3, perAddress: 5 };

beforeAll(async () => {
  stack = await startTestStack();
  const namespace = `${stack.namespace}-throttle`;
  a = await startInstance(await RedisSignInAttempts.connect({ url: testRedisUrl, namespace, windowMs: 60_000 }));
  b = await startInstance(await RedisSignInAttempts.connect({ url: testRedisUrl, namespace, windowMs: 60_000 }));
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await stack?.stop();
});

/** An instance behind one proxy, so that each test can come from addresses of its own (X-Forwarded-For). */
async function startInstance(attempts: SignInAttempts, instanceLimits = limits): Promise<RunningGateway> {
  const gateway = await createGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.subgraph.url])),
    jwt: { secret: testConfig.JWT_SECRET, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE },
    signIns: { attempts, limits: instanceLimits, windowMs: 60_000 },
    trustedProxyHops: 1,
    logger: createLogger('gateway', 'silent'),
  });
  stops.push(async () => {
    await gateway.close();
    await attempts.close();
  });
  return gateway;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  code: unknown;
  extensions: Record<string, unknown> | undefined;
  token: string | undefined;
}

const signInDocument = `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`;

async function signIn(gateway: RunningGateway, email: string, password: string, address: string): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    // A client's own entry first: only the one the proxy appended (the last) is believed.
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.9, ${address}` },
    body: JSON.stringify({ query: signInDocument, variables: { e: email, p: password } }),
  });
  const body = (await response.json()) as { data?: { signIn: { token: string } } | null; errors?: { extensions?: Record<string, unknown> }[] };
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    code: body.errors?.[0]?.extensions?.code,
    extensions: body.errors?.[0]?.extensions,
    token: body.data?.signIn.token,
  };
}

const wrong = { status: 200, retryAfter: null, code: 'INVALID_CREDENTIALS', extensions: expect.anything(), token: undefined };
const signedIn = { status: 200, retryAfter: null, code: undefined, extensions: undefined, token: expect.any(String) };
const throttled = {
  status: 429,
  retryAfter: expect.stringMatching(/^[1-9]\d*$/),
  code: 'TOO_MANY_SIGN_IN_ATTEMPTS',
  extensions: { code: 'TOO_MANY_SIGN_IN_ATTEMPTS', retryAfter: expect.any(Number) },
  token: undefined,
};

/** How many fetches the instance has sent the users subgraph (its own metrics). */
async function usersFetches(gateway: RunningGateway): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  const line = text.split('\n').find((l) => /gateway_subgraph_fetch_duration_seconds_count\{subgraph="users"\}/.test(l));
  return Number(line?.split(' ').pop() ?? 0);
}

describe('sign-in throttling', () => {
  it('refuses an account after its failures on either instance, the right password too, without asking the users subgraph', async () => {
    const { email } = await signUp(stack.gatewayUrl, 'CUSTOMER');
    expect(await signIn(a, email, 'wrong-1', '10.0.1.1')).toEqual(wrong);
    expect(await signIn(b, email, 'wrong-2', '10.0.1.1')).toEqual(wrong);
    // Spelt otherwise, the same account.
    expect(await signIn(a, ` ${email.toUpperCase()}`, 'wrong-3', '10.0.1.2')).toEqual(wrong);

    const before = await usersFetches(b);
    expect(before).toBeGreaterThan(0);
    const refused = await signIn(b, email, testPassword, '10.0.1.3');
    expect(refused).toEqual(throttled);
    expect(refused.extensions!.retryAfter).toBe(Number(refused.retryAfter));
    expect(await signIn(a, email, testPassword, '10.0.1.4')).toEqual(throttled);
    expect(await usersFetches(b)).toBe(before);
  });

  it("forgets an account's failures once it signs in", async () => {
    const { email } = await signUp(stack.gatewayUrl, 'CUSTOMER');
    expect(await signIn(a, email, 'wrong-1', '10.0.2.1')).toEqual(wrong);
    expect(await signIn(b, email, 'wrong-2', '10.0.2.1')).toEqual(wrong);
    expect(await signIn(a, email, testPassword, '10.0.2.1')).toEqual(signedIn);
    for (const password of ['wrong-3', 'wrong-4', 'wrong-5']) expect(await signIn(b, email, password, '10.0.2.2')).toEqual(wrong);
    expect(await signIn(a, email, 'wrong-6', '10.0.2.3')).toEqual(throttled);
  });

  it('refuses an address after its failures, whichever accounts it tries, and no other address', async () => {
    const emails = Array.from({ length: 7 }, (_, i) => `nobody-${i}-${stack.namespace}@example.com`);
    for (const [i, email] of emails.slice(0, 5).entries()) expect(await signIn(i % 2 ? a : b, email, 'guess', '10.0.3.1')).toEqual(wrong);
    expect(await signIn(a, emails[5]!, 'guess', '10.0.3.1')).toEqual(throttled);
    expect(await signIn(b, emails[5]!, 'guess', '10.0.3.2')).toEqual(wrong);
  });

  it('applies over graphql-ws too: an error with the code and the seconds to wait', async () => {
    const { email } = await signUp(stack.gatewayUrl, 'CUSTOMER');
    for (const password of ['wrong-1', 'wrong-2', 'wrong-3']) expect(await signIn(a, email, password, '10.0.4.1')).toEqual(wrong);
    // The upgrade request passes the same proxy.
    class ProxiedWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': '10.0.4.2' } });
      }
    }
    const client = createClient({ url: b.url.replace('http', 'ws'), webSocketImpl: ProxiedWebSocket, retryAttempts: 0 });
    stops.push(async () => client.dispose());
    const errors = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: signInDocument, variables: { e: email, p: testPassword } }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_SIGN_IN_ATTEMPTS', retryAfter: expect.any(Number) } })]);
  });

  it('takes one signIn per operation, so that aliases cannot try several passwords for one count', async () => {
    const response = await fetch(a.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { one: signIn(email: "x@example.com", password: "a") { token } two: signIn(email: "x@example.com", password: "b") { token } }` }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect({ status: response.status, codes: body.errors.map((e) => e.extensions.code) }).toEqual({ status: 400, codes: ['BAD_REQUEST'] });
  });

  it('counts in process for the quickstart', async () => {
    const alone = await startInstance(new InMemorySignInAttempts(60_000), { perAccount: 2, perAddress: 10 });
    const { email } = await signUp(stack.gatewayUrl, 'CUSTOMER');
    expect(await signIn(alone, email, 'wrong-1', '10.0.5.1')).toEqual(wrong);
    expect(await signIn(alone, email, 'wrong-2', '10.0.5.1')).toEqual(wrong);
    expect(await signIn(alone, email, testPassword, '10.0.5.1')).toEqual(throttled);
    // Counted in that process only: the Redis-backed instances have seen none of these.
    expect(await signIn(a, email, testPassword, '10.0.5.1')).toEqual(signedIn);
  });
});
