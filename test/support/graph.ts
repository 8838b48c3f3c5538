import { randomBytes } from 'node:crypto';
import { postGraphQL, type GraphQLResponse } from '@commerce/service-kit';

/** One signed-in user calling the gateway. */
export interface Actor {
  id: string;
  email: string;
  token: string;
  call<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Like call, but fails on any error. */
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export function actorFor(gatewayUrl: string, id: string, email: string, token: string): Actor {
  const call = <T>(query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL<T>(gatewayUrl, query, variables, { authorization: `Bearer ${token}` });
  return {
    id,
    email,
    token,
    call,
    async data<T>(query: string, variables: Record<string, unknown> = {}) {
      const result = await call<T>(query, variables);
      if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors ?? 'no data'));
      return result.data;
    },
  };
}

export const testPassword = 'password123';

/** Signs a fresh user up, so every test works on accounts and shops of its own. */
export async function signUp(gatewayUrl: string, role: 'CUSTOMER' | 'SHOP_OWNER' | 'COURIER'): Promise<Actor> {
  const email = `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;
  const result = await postGraphQL(
    gatewayUrl,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`,
    { input: { email, password: testPassword, name: `${role} ${email}`, role } },
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return actorFor(gatewayUrl, result.data.signUp.user.id, email, result.data.signUp.token);
}
