import type { Role } from '@commerce/service-kit';

const customer = ['orders:read', 'orders:write'];
const shopOwner = ['catalog:write', 'orders:read'];
const courier = ['deliveries:write'];

/**
 * What a token grants, by the account's role: the `scope` claim the gateway
 * checks @requiresScopes against. Role and ownership checks stay in the
 * subgraphs; a scope only opens the door to a field.
 */
export const scopesByRole: Record<Role, readonly string[]> = {
  CUSTOMER: customer,
  SHOP_OWNER: shopOwner,
  COURIER: courier,
  ADMIN: [...new Set([...customer, ...shopOwner, ...courier])],
};
