/**
 * The order lifecycle as data: which status may follow which, and who may make
 * each move. Plain functions with no I/O, so the table is tested on its own and
 * every mutation asks the same question the same way.
 */

export const orderStatuses = [
  'PENDING',
  'CONFIRMED',
  'PREPARING',
  'READY_FOR_PICKUP',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'CANCELLED',
  'REJECTED',
] as const;

export type OrderStatus = (typeof orderStatuses)[number];

/**
 * Who is asking, relative to one order. `system` is the saga reacting to other
 * subgraphs' events (stock reserved, payment authorised, parcel picked up or
 * delivered): no person makes those moves through updateOrderStatus, not even
 * the courier, whose word reaches orders only through logistics' events.
 * `courier` is the courier carrying the order, which lets them read it. ADMIN
 * is not a party: an admin may make any move the table allows.
 */
export type Party = 'customer' | 'shop' | 'courier' | 'system';

const transitions: Record<OrderStatus, Partial<Record<OrderStatus, readonly Party[]>>> = {
  PENDING: { CONFIRMED: ['system'], REJECTED: ['system'], CANCELLED: ['customer', 'shop'] },
  CONFIRMED: { PREPARING: ['shop'], CANCELLED: ['customer', 'shop'] },
  PREPARING: { READY_FOR_PICKUP: ['shop'], CANCELLED: ['customer', 'shop'] },
  // Once a courier holds the parcel, only the delivery itself can end the order.
  READY_FOR_PICKUP: { OUT_FOR_DELIVERY: ['system'], CANCELLED: ['shop'] },
  OUT_FOR_DELIVERY: { DELIVERED: ['system'] },
  DELIVERED: {},
  CANCELLED: {},
  REJECTED: {},
};

export interface Mover {
  /** The caller's relations to the order (possibly several, possibly none). */
  parties: ReadonlySet<Party>;
  admin: boolean;
}

/** The saga, moving an order on another subgraph's event. */
export const systemMover: Mover = { parties: new Set<Party>(['system']), admin: false };

export type TransitionDecision = 'allowed' | 'invalid' | 'forbidden';

/** The statuses that may directly follow `from`, whoever asks. */
export function nextStatuses(from: OrderStatus): OrderStatus[] {
  return Object.keys(transitions[from]) as OrderStatus[];
}

export function isTerminal(status: OrderStatus): boolean {
  return nextStatuses(status).length === 0;
}

/**
 * `invalid` when the lifecycle has no such move at all (answered before
 * permissions, so the caller learns the real reason), `forbidden` when the move
 * exists but is not this caller's to make.
 */
export function decideTransition(from: OrderStatus, to: OrderStatus, mover: Mover): TransitionDecision {
  const movers = transitions[from][to];
  if (!movers) return 'invalid';
  if (mover.admin) return 'allowed';
  return movers.some((party) => mover.parties.has(party)) ? 'allowed' : 'forbidden';
}
