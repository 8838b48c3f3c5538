import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { Accounts } from './accounts';
import type { UserRepository } from './data/user-repository';
import type { Loaders } from './loaders';
import type { Sessions } from './sessions';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  users: UserRepository;
  accounts: Accounts;
  sessions: Sessions;
}
