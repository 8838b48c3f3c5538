import { parse } from 'graphql';
import { identityHeaders, type Identity } from '../src/identity';
import { hasTrustedIdentity, identitySignatureHeader, identitySignatureMaxSkewMs, signedIdentityHeaders } from '../src/identity-signature';
import { createLogger } from '../src/logger';
import { startSubgraph, type BaseSubgraphContext, type RunningSubgraph } from '../src/subgraph';
import { headersFor, testConfig } from '../src/testing';

const secret = 'trust-test-secret-of-enough-length';
const ada: Identity = { userId: 'u1', role: 'CUSTOMER' };
let subgraph: RunningSubgraph;
let touched = 0;

beforeAll(async () => {
  subgraph = await startSubgraph(
    {
      name: 'probe',
      typeDefs: parse(`
        type Caller { userId: ID! role: String! }
        type Query { whoami: Caller }
        type Mutation { touch: Int! }
      `),
      resolvers: {
        Query: { whoami: (_: unknown, __: unknown, { identity }: BaseSubgraphContext) => identity },
        Mutation: { touch: () => ++touched },
      },
      logger: createLogger('probe', 'silent'),
      health: async () => ({}),
      context: () => ({}),
      gatewaySecret: secret,
    },
    0,
  );
});

afterAll(async () => {
  await subgraph?.close();
});

async function send(query: string, headers: Record<string, string>) {
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, body };
}

const forgeries: [string, Record<string, string>][] = [
  ['no signature at all', { [identityHeaders.userId]: 'u1', [identityHeaders.role]: 'ADMIN' }],
  ['a signature made with another secret', signedIdentityHeaders({ userId: 'u1', role: 'ADMIN' }, 'some-other-secret-of-enough-length')],
  ['a signature over another role', { ...signedIdentityHeaders(ada, secret), [identityHeaders.role]: 'ADMIN' }],
  ['a signature over another user', { ...signedIdentityHeaders(ada, secret), [identityHeaders.userId]: 'u2' }],
  ['a stale signature', signedIdentityHeaders(ada, secret, Date.now() - identitySignatureMaxSkewMs - 5_000)],
  ['a signature from too far ahead', signedIdentityHeaders(ada, secret, Date.now() + identitySignatureMaxSkewMs + 5_000)],
  ['a malformed signature header', { [identityHeaders.userId]: 'u1', [identityHeaders.role]: 'CUSTOMER', [identitySignatureHeader]: 't=1,v1=zz' }],
  ['a role header alone', { [identityHeaders.role]: 'ADMIN' }],
];

describe('subgraph trust', () => {
  it.each(forgeries)('refuses identity headers with %s: 401 UNTRUSTED_CALLER, and nothing runs', async (_case, headers) => {
    const before = touched;
    const { status, body } = await send('mutation { touch }', headers);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNTRUSTED_CALLER');
    expect(body.data).toBeUndefined();
    expect(touched).toBe(before);
  });

  it('serves a caller whose identity the gateway signed, as that caller', async () => {
    const { status, body } = await send('{ whoami { userId role } }', signedIdentityHeaders(ada, secret));
    expect(status).toBe(200);
    expect(body.data?.whoami).toEqual({ userId: 'u1', role: 'CUSTOMER' });
  });

  it('still serves anonymous requests, which carry no identity to sign', async () => {
    const { status, body } = await send('{ whoami { userId } }', {});
    expect(status).toBe(200);
    expect(body.data).toEqual({ whoami: null });
  });

  it('allows for clock drift within the bound, either way', () => {
    const now = Date.now();
    const within = identitySignatureMaxSkewMs - 1_000;
    for (const signedAt of [now - within, now + within]) {
      expect(hasTrustedIdentity(signedIdentityHeaders(ada, secret, signedAt), secret, now)).toBe(true);
    }
  });

  it("signs in the kit's test helpers, so subgraph tests call as the gateway does", () => {
    const signed = headersFor(ada);
    expect(signed[identitySignatureHeader]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hasTrustedIdentity(signed, testConfig.GATEWAY_SUBGRAPH_SECRET)).toBe(true);
  });
});
