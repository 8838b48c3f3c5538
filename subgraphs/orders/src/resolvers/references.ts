import type { ResolversTypes } from '../__generated__/resolvers-types';

/**
 * A User as this subgraph returns it: only the key, which the gateway completes
 * from users. Codegen types the field as a full User (with `orders`, which
 * User.orders resolves from the id), hence the one cast; a `User` mapper in
 * codegen.yml would remove it.
 */
export function userReference(id: string): ResolversTypes['User'] {
  return { id } as ResolversTypes['User'];
}
