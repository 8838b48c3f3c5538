/**
 * The live channels: the contract between the subgraphs that publish changes
 * and the gateways that serve the subscription fields. Names are without the
 * namespace, which each adapter adds.
 */
export const liveChannels = {
  /** Feeds `orderUpdated(orderId)`; the message is `{ orderId }`. */
  orderUpdated: (orderId: string) => `orderUpdated.${orderId}`,
  /** Feeds `inventoryChanged(productIds:)`; the message is the stock change. */
  productInventory: (productId: string) => `inventoryChanged.product.${productId}`,
  /** Feeds `inventoryChanged(shopId:)`; the same message as the product's channel. */
  shopInventory: (shopId: string) => `inventoryChanged.shop.${shopId}`,
};
