import {
  entitiesQuery,
  headersFor,
  postGraphQL,
  startIsolatedSubgraph,
  testConfig,
  type IsolatedSubgraph,
} from '@commerce/service-kit/testing';
import { verifyAccessToken } from '@commerce/service-kit';
import { usersSubgraph } from '../src/server';

let subgraph: IsolatedSubgraph;
let url: string;

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(usersSubgraph);
  url = subgraph.server.url;
});

afterAll(async () => {
  await subgraph.stop();
});

const signUp = `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id email name role } } }`;
const countUsers = async () => Number((await subgraph.dataSource.query('SELECT count(*) AS n FROM users.users'))[0].n);

describe('users subgraph', () => {
  it('signs a customer up and issues a token the gateway can verify', async () => {
    const result = await postGraphQL(url, signUp, {
      input: { email: 'Ada@example.com', password: 'correct horse', name: 'Ada' },
    });
    expect(result.errors).toBeUndefined();
    const { token, user } = result.data!.signUp;
    expect(user).toMatchObject({ email: 'Ada@example.com', name: 'Ada', role: 'CUSTOMER' });
    expect(verifyAccessToken(token, {
      secret: testConfig.JWT_SECRET,
      issuer: testConfig.JWT_ISSUER,
      audience: testConfig.JWT_AUDIENCE,
    })).toEqual({ userId: user.id, role: 'CUSTOMER', scopes: ['orders:read', 'orders:write'] });
  });

  it('signs in with the right password, case-insensitively on the email, and refuses a wrong one', async () => {
    const ok = await postGraphQL(url, `mutation { signIn(email: "ada@EXAMPLE.com", password: "correct horse") { user { name } } }`);
    expect(ok.data?.signIn.user.name).toBe('Ada');
    const wrong = await postGraphQL(url, `mutation { signIn(email: "ada@example.com", password: "wrong horse") { token } }`);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    const unknown = await postGraphQL(url, `mutation { signIn(email: "nobody@example.com", password: "whatever1") { token } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
  });

  it.each([
    ['an email already in use, in another case', { email: 'ADA@example.com', password: 'long enough', name: 'Ada 2' }, 'EMAIL_TAKEN'],
    ['a malformed email', { email: 'not-an-email', password: 'long enough', name: 'X' }, 'BAD_USER_INPUT'],
    ['a short password', { email: 'short@example.com', password: 'short', name: 'X' }, 'BAD_USER_INPUT'],
    ['an empty name', { email: 'empty@example.com', password: 'long enough', name: '  ' }, 'BAD_USER_INPUT'],
    ['a self-assigned ADMIN role', { email: 'root@example.com', password: 'long enough', name: 'Root', role: 'ADMIN' }, 'BAD_USER_INPUT'],
  ])('refuses sign-up with %s and writes nothing', async (_case, input, code) => {
    const before = await countUsers();
    const result = await postGraphQL(url, signUp, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await countUsers()).toBe(before);
  });

  it('answers me for the caller and null for an anonymous request', async () => {
    const { data } = await postGraphQL(url, signUp, { input: { email: 'bo@example.com', password: 'long enough', name: 'Bo', role: 'COURIER' } });
    const bo = data!.signUp.user;
    const me = await postGraphQL(url, `{ me { id role } }`, {}, headersFor({ userId: bo.id, role: 'COURIER' }));
    expect(me.data?.me).toEqual({ id: bo.id, role: 'COURIER' });
    const anonymous = await postGraphQL(url, `{ me { id } }`);
    expect(anonymous.data?.me).toBeNull();
  });

  it('keeps addresses private to their owner', async () => {
    const { data } = await postGraphQL(url, signUp, { input: { email: 'cy@example.com', password: 'long enough', name: 'Cy' } });
    const cy = { userId: data!.signUp.user.id as string, role: 'CUSTOMER' as const };
    const added = await postGraphQL(url, `mutation { addAddress(input: { label: "Home", line: "1 Main St" }) { label line } }`, {}, headersFor(cy));
    expect(added.data?.addAddress).toEqual({ label: 'Home', line: '1 Main St' });
    const own = await postGraphQL(url, `{ me { addresses { line } } }`, {}, headersFor(cy));
    expect(own.data?.me.addresses).toEqual([{ line: '1 Main St' }]);
    const other = await postGraphQL(url, entitiesQuery('User', 'addresses { line }'), { representations: [{ __typename: 'User', id: cy.userId }] }, headersFor({ userId: '00000000-0000-0000-0000-000000000000', role: 'CUSTOMER' }));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves User entities by id in the order asked, with null for unknown ids', async () => {
    const ids = (await subgraph.dataSource.query('SELECT id, name FROM users.users ORDER BY name')) as { id: string; name: string }[];
    const unknown = '00000000-0000-0000-0000-000000000000';
    const representations = [...ids.map(({ id }) => ({ __typename: 'User', id })).reverse(), { __typename: 'User', id: unknown }];
    const result = await postGraphQL(url, entitiesQuery('User', 'id name role'), { representations });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([...ids.map(({ id, name }) => expect.objectContaining({ id, name })).reverse(), null]);
  });
});
