/**
 * Announces every committed stock change on the product's and the shop's live
 * channels, so `inventoryChanged(productIds:)` and `inventoryChanged(shopId:)`
 * subscribers hear it. The message carries the change itself (it is what
 * `InventoryChange` resolves from); announcing a redelivered event again only
 * repeats a true statement, so no inbox is kept.
 */
import { validatePayload, type EventEnvelope } from '@commerce/events';
import { liveChannels } from '@commerce/pubsub';
import type { EventConsumer, LivePubSub } from '@commerce/service-kit';
import type { InventoryChangeMessage } from '../data/rows';

export const liveQueue = 'catalog.live';

/** The events of its own that catalog announces; also the bindings of its queue. */
export const liveEventTypes = ['inventory.changed'] as const;

export function inventoryLivePublisher(live: LivePubSub): EventConsumer {
  return {
    queue: liveQueue,
    bindings: liveEventTypes,
    async handle(event: EventEnvelope) {
      const known = validatePayload(event);
      if (known.type !== 'inventory.changed') return;
      const { productId, shopId, previousStock, stock, reason } = known.payload;
      const message: InventoryChangeMessage = { productId, shopId, previousStock, stock, reason, at: known.occurredAt };
      await Promise.all([live.publish(liveChannels.productInventory(productId), message), live.publish(liveChannels.shopInventory(shopId), message)]);
    },
  };
}
