/**
 * The messages orders publishes on its live channels (`liveChannels` in
 * @commerce/pubsub). The gateway hands each back as the root value when it
 * resolves a subscriber's selection, so the resolvers check a message's
 * shape rather than trust it.
 */
import { GraphQLError } from 'graphql';
import { isRecord } from '@commerce/service-kit';

/** On `orderUpdated.<orderId>`, once per status change. */
export interface StatusChangeMessage {
  orderId: string;
  status: string;
  /** The change's 1-based place in the order's status history; absent on events from before it was recorded. */
  sequence?: number;
}

/** On `orderPlaced.shop.<shopId>`, once per new order. */
export interface PlacedOrderMessage {
  orderId: string;
  shopId: string;
}

const fieldsOf = (message: unknown): Record<string, unknown> => (isRecord(message) ? message : {});

/**
 * The place of the status change a message announces, or null for a message
 * that names only the order (payments', logistics' and the current state's).
 */
export function sequenceOf(message: unknown): number | null {
  const { sequence } = fieldsOf(message);
  return typeof sequence === 'number' && Number.isInteger(sequence) && sequence >= 1 ? sequence : null;
}

export function asPlacedOrder(message: unknown): PlacedOrderMessage {
  const { orderId, shopId } = fieldsOf(message);
  if (typeof orderId !== 'string' || typeof shopId !== 'string') throw new GraphQLError('The placed-order message has no valid orderId and shopId');
  return { orderId, shopId };
}
