import type { IncomingHttpHeaders } from 'node:http';
import { forbidden, unauthenticated } from './errors';

export const roles = ['CUSTOMER', 'SHOP_OWNER', 'COURIER', 'ADMIN'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, as verified by the gateway. */
export interface Identity {
  userId: string;
  role: Role;
  /**
   * What the token grants (its `scope` claim), for the gateway's @requiresScopes.
   * Subgraphs are not told: their checks are on role and ownership.
   */
  scopes?: readonly string[];
}

/**
 * The gateway verifies the caller's JWT and forwards the identity in these
 * headers, signed (identity-signature.ts); a subgraph refuses identity
 * headers without a valid signature.
 */
export const identityHeaders = {
  userId: 'x-user-id',
  role: 'x-user-role',
} as const;

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function identityFromHeaders(headers: IncomingHttpHeaders | Map<string, string>): Identity | null {
  const get = (name: string): string | undefined => {
    if (headers instanceof Map) return headers.get(name);
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const userId = get(identityHeaders.userId);
  const role = get(identityHeaders.role);
  if (!userId || !isRole(role)) return null;
  return { userId, role };
}

export function requireIdentity(identity: Identity | null): Identity {
  if (!identity) throw unauthenticated();
  return identity;
}

export function requireRole(identity: Identity | null, ...allowed: Role[]): Identity {
  const caller = requireIdentity(identity);
  if (caller.role !== 'ADMIN' && !allowed.includes(caller.role)) {
    throw forbidden(`This needs one of the roles ${allowed.join(', ')}`);
  }
  return caller;
}
