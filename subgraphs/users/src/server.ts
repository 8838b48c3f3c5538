import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
import { accounts } from './accounts';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { userRepository } from './data/user-repository';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export const usersSubgraph: SubgraphModule<Context> = {
  name: 'users',
  defaultPort: 4001,
  entities,
  migrations,
  build({ dataSource, config, logger }) {
    const users = userRepository(dataSource);
    const accountService = accounts(users, {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    return {
      name: 'users',
      typeDefs,
      resolvers,
      logger,
      health: databaseHealth(dataSource),
      context: () => ({ loaders: createLoaders(users), users, accounts: accountService }),
    };
  },
};
