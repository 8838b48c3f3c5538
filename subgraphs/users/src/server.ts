import path from 'node:path';
import { readSchema, privateSigningKey, secretSigningKey, sendJson, type BaseConfig, type SubgraphModule } from '@commerce/service-kit';
import { accounts } from './domain/accounts';
import { config } from './config';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { sessionRepository } from './data/session-repository';
import { userRepository } from './data/user-repository';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { sessions } from './domain/sessions';

/** Where the gateway (JWT_JWKS_URL) finds the public keys that verify our access tokens. */
export const jwksPath = '/.well-known/jwks.json';

/** JWT_PRIVATE_KEY when a deployment gives one (RS256/ES256, published as JWKS); else the shared JWT_SECRET (HS256). */
function signingKeyOf(env: BaseConfig) {
  if (!env.JWT_PRIVATE_KEY) return { key: secretSigningKey(env.JWT_SECRET), publicKeys: [] };
  const key = privateSigningKey(env.JWT_PRIVATE_KEY);
  return { key, publicKeys: [key.publicJwk] };
}

export const usersSubgraph: SubgraphModule<Context> = {
  ...config,
  typeDefs: readSchema(path.join(__dirname, '../schema.graphql')),
  entities,
  migrations,
  // `env` is the validated environment every service shares; `config` is what makes this one users.
  build({ dataSource, config: env, revokedSessions }) {
    const users = userRepository(dataSource);
    const { key, publicKeys } = signingKeyOf(env);
    const sessionService = sessions(
      sessionRepository(dataSource),
      users,
      {
        key,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
        sessionTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
      },
      revokedSessions,
    );
    const accountService = accounts(users, sessionService);
    return {
      resolvers,
      // Cacheable for a while: the gateway looks again when a token names a key it has not seen.
      routes: { [jwksPath]: (_req, res) => sendJson(res, 200, { keys: publicKeys }, { 'cache-control': 'public, max-age=300' }) },
      context: () => ({ loaders: createLoaders(users), users, accounts: accountService, sessions: sessionService }),
    };
  },
};

// What the quickstart's demo data needs to write the one account no one can sign up for (ADMIN).
export { userRepository, type UserRepository } from './data/user-repository';
export { hashPassword } from './domain/passwords';
