import { postGraphQL } from '@commerce/service-kit';

/**
 * A demo user calling the public graph, signed in once and again when the
 * token is refused (they expire after an hour).
 */
export class ActorClient {
  private token: string | null = null;

  constructor(
    private readonly gatewayUrl: string,
    private readonly email: string,
    private readonly password: string,
  ) {}

  async call<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = this.token ?? (await this.signIn());
      const result = await postGraphQL<T>(this.gatewayUrl, query, variables, { authorization: `Bearer ${token}` });
      const code = result.errors?.[0]?.extensions?.code;
      if (code === 'UNAUTHENTICATED') {
        this.token = null;
        continue;
      }
      if (result.errors?.length || !result.data) throw new Error(`${this.email}: ${result.errors?.[0]?.message ?? 'no data'} (${code ?? 'no code'})`);
      return result.data;
    }
    throw new Error(`${this.email}: could not sign in`);
  }

  private async signIn(): Promise<string> {
    const result = await postGraphQL(
      this.gatewayUrl,
      `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }`,
      { email: this.email, password: this.password },
    );
    const token = result.data?.signIn?.token as string | undefined;
    if (!token) throw new Error(`${this.email}: sign-in failed (${result.errors?.[0]?.message ?? 'no token'})`);
    this.token = token;
    return token;
  }
}
