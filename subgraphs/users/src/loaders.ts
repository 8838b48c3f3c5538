import { loaderByKey, loaderOfLists } from '@commerce/service-kit';
import type { UserRepository } from './data/user-repository';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(users: UserRepository) {
  return {
    user: loaderByKey((ids: readonly string[]) => users.findByIds(ids), (row) => row.id),
    addresses: loaderOfLists((ids: readonly string[]) => users.addressesOf(ids), (row) => row.userId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
