/**
 * The live channels: the contract between the subgraphs that publish changes
 * and the gateways that serve the subscription fields. Names are without the
 * namespace, which each adapter adds.
 */
export const liveChannels = {
  /**
   * Feeds `orderUpdated(orderId)`. orders publishes `{ orderId, status, sequence }`
   * per status change (`sequence`: the change's 1-based position in the order's
   * history), which resolves to the order as of that change; payments and
   * logistics publish `{ orderId }`, which resolves to the order now.
   */
  orderUpdated: (orderId: string) => `orderUpdated.${orderId}`,
  /** Feeds `inventoryChanged(productIds:)`; the message is the stock change. */
  productInventory: (productId: string) => `inventoryChanged.product.${productId}`,
  /** Feeds `inventoryChanged(shopId:)`; the same message as the product's channel. */
  shopInventory: (shopId: string) => `inventoryChanged.shop.${shopId}`,
  /** Feeds `orderPlaced(shopId)`; the message is `{ orderId, shopId }`. */
  shopOrders: (shopId: string) => `orderPlaced.shop.${shopId}`,
  /** Feeds `lowStock(shopId)`; the message is `{ productId, shopId, stock, threshold, at }`. */
  shopLowStock: (shopId: string) => `lowStock.shop.${shopId}`,
};
