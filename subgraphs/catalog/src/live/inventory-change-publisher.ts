import type { InventoryChanged } from '@commerce/events';
import { liveChannels, type LivePubSub } from '@commerce/pubsub';
import type { InventoryChangeMessage } from '../data/rows';

/**
 * Announces a stock change on the product's and the shop's channels, so
 * `inventoryChanged(productIds:)` and `inventoryChanged(shopId:)` subscribers
 * hear it. The message carries the change itself: it is what
 * `InventoryChange` resolves from.
 */
export async function announceInventoryChange(live: LivePubSub, change: InventoryChanged, at: string): Promise<void> {
  const { productId, shopId, previousStock, stock, reason } = change;
  const message: InventoryChangeMessage = { productId, shopId, previousStock, stock, reason, at };
  await Promise.all([live.publish(liveChannels.productInventory(productId), message), live.publish(liveChannels.shopInventory(shopId), message)]);
}
