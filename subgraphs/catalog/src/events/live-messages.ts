/**
 * The messages catalog publishes on its live channels (`liveChannels` in
 * @commerce/pubsub). The gateway hands each back as the root value when it
 * resolves a subscriber's selection, so the resolvers check a message's
 * shape rather than trust it.
 */

/**
 * The message catalog publishes on an inventoryChanged channel; the gateway
 * hands it back as the root value when it resolves a subscriber's selection.
 */
export interface InventoryChangeMessage {
  productId: string;
  shopId: string;
  previousStock: number;
  stock: number;
  reason: string;
  /** ISO-8601: the event's occurredAt. */
  at: string;
}

/**
 * The message catalog publishes on a shop's lowStock channel (from
 * `inventory.low_stock`); the gateway hands it back as the root value.
 */
export interface LowStockMessage {
  productId: string;
  shopId: string;
  stock: number;
  threshold: number;
  /** ISO-8601: the event's occurredAt. */
  at: string;
}
