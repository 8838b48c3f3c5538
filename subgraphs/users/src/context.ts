import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { Accounts } from './domain/accounts';
import type { UserRepository } from './data/user-repository';
import type { Loaders } from './loaders';
import type { Sessions } from './domain/sessions';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  users: UserRepository;
  accounts: Accounts;
  sessions: Sessions;
}
