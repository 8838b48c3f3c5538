import { liveChannels } from '@commerce/pubsub';
import type { LiveAnnouncer } from '@commerce/service-kit';
import type { InventoryChangeMessage, LowStockMessage } from './live-messages';

/**
 * What catalog's subscribers hear of its committed stock events: every stock
 * change on the product's and the shop's `inventoryChanged` channels, every
 * crossing of a shop's threshold on its `lowStock` channel. A message carries
 * the change itself, with the time of its event: it is what `InventoryChange`
 * and `LowStockAlert` resolve from.
 */
export const live: LiveAnnouncer = (event) => {
  switch (event.type) {
    case 'inventory.changed': {
      const { productId, shopId, previousStock, stock, reason } = event.payload;
      const message: InventoryChangeMessage = { productId, shopId, previousStock, stock, reason, at: event.occurredAt };
      return [
        { channel: liveChannels.productInventory(productId), message },
        { channel: liveChannels.shopInventory(shopId), message },
      ];
    }
    case 'inventory.low_stock': {
      const { productId, shopId, stock, threshold } = event.payload;
      const message: LowStockMessage = { productId, shopId, stock, threshold, at: event.occurredAt };
      return [{ channel: liveChannels.shopLowStock(shopId), message }];
    }
    default:
      return [];
  }
};
