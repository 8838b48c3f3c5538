import type { InventoryLowStock } from '@commerce/events';
import { liveChannels, type LivePubSub } from '@commerce/pubsub';
import type { LowStockMessage } from '../data/rows';

/** Announces a product falling to or under its shop's threshold on the shop's lowStock channel. */
export async function announceLowStock(live: LivePubSub, alert: InventoryLowStock, at: string): Promise<void> {
  const { productId, shopId, stock, threshold } = alert;
  const message: LowStockMessage = { productId, shopId, stock, threshold, at };
  await live.publish(liveChannels.shopLowStock(shopId), message);
}
