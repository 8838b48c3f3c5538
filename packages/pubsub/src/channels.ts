/**
 * One live channel's name: the `channel` a subscription field declares with
 * `@live(channel:, key:)` in its subgraph's schema, then the value of its key
 * argument. The gateway derives the name from the declaration; the subgraph
 * publishes on the same name.
 */
export function liveChannel(channel: string, key: string): string {
  return `${channel}.${key}`;
}

/**
 * The live channels of today's subscription fields, by what they carry: the
 * contract between the subgraphs that publish changes and the gateways that
 * serve the fields (each declared with `@live` in its subgraph's schema).
 * Names are without the namespace, which each adapter adds.
 */
export const liveChannels = {
  /**
   * Feeds `orderUpdated(orderId)`. orders publishes `{ orderId, status, sequence }`
   * per status change (`sequence`: the change's 1-based position in the order's
   * history; the gateway resolves one it misses as `{ orderId, sequence }`),
   * which resolves to the order as of that change; payments and
   * logistics publish `{ orderId }`, which resolves to the order now.
   */
  orderUpdated: (orderId: string) => liveChannel('orderUpdated', orderId),
  /** Feeds `inventoryChanged(productIds:)`; the message is the stock change. */
  productInventory: (productId: string) => liveChannel('inventoryChanged.product', productId),
  /** Feeds `inventoryChanged(shopId:)`; the same message as the product's channel. */
  shopInventory: (shopId: string) => liveChannel('inventoryChanged.shop', shopId),
  /** Feeds `orderPlaced(shopId)`; the message is `{ orderId, shopId }`. */
  shopOrders: (shopId: string) => liveChannel('orderPlaced.shop', shopId),
  /** Feeds `lowStock(shopId)`; the message is `{ productId, shopId, stock, threshold, at }`. */
  shopLowStock: (shopId: string) => liveChannel('lowStock.shop', shopId),
};
