import { type Identity, signAccessToken, type JwtSettings } from '@commerce/service-kit';

/**
 * The gateway tests need no database, so they keep to these few helpers
 * rather than the kit's testing module (which brings Postgres and the bus).
 */
export const jwt: JwtSettings = { secret: 'gateway-test-secret-of-enough-length', issuer: 'commerce-users', audience: 'commerce-supergraph' };

export function bearer(identity: Identity): Record<string, string> {
  return { authorization: `Bearer ${signAccessToken(identity, jwt)}` };
}

export interface GraphQLResponse {
  // Tests read whatever shape their query selected.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function postGraphQL(url: string, query: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse;
}
