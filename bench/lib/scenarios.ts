import { isDeepStrictEqual } from 'node:util';
import type { SeededData } from './seed';

/** One request the load generator repeats, and the only answer that counts as correct. */
export interface Scenario {
  name: string;
  description: string;
  query: string;
  expectedData: unknown;
}

export const ordersQuery = `query BenchOrders {
  myOrders {
    id status totalCents
    customer { name }
    shop { name }
    items { quantity unitPriceCents product { name } }
    payment { status amountCents }
    shipment { status courier { name } }
  }
}`;

export const meQuery = `query BenchMe { me { id name email role } }`;

export function scenariosFor(seeded: SeededData, crossSubgraph: boolean): Scenario[] {
  const me: Scenario = {
    name: 'me',
    description: 'simple: one users fetch (`me`)',
    query: meQuery,
    expectedData: { me: { id: seeded.customer.id, name: seeded.customer.name, email: seeded.customer.email, role: seeded.customer.role } },
  };
  if (!crossSubgraph) return [me];
  const orders: Scenario = {
    name: 'orders',
    description: '50 orders with customer, shop, item products, payment and shipment with courier: all five subgraphs',
    query: ordersQuery,
    expectedData: { myOrders: seeded.expectedOrders },
  };
  return [orders, me];
}

/**
 * Checks one response body. The first body that passes is remembered, so
 * the rest of a run compares strings instead of parsing megabytes.
 */
export function responseChecker(scenario: Scenario): (body: string) => boolean {
  let known: string | null = null;
  return (body) => {
    if (body === known) return true;
    try {
      const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
      if (parsed.errors !== undefined || !isDeepStrictEqual(parsed.data, scenario.expectedData)) return false;
      known = body;
      return true;
    } catch {
      return false;
    }
  };
}
