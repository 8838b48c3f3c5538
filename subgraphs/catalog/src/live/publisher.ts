/**
 * Announces catalog's committed stock events on the live channels: every
 * stock change for `inventoryChanged`, every threshold crossing for
 * `lowStock`. A message restates an event that stays true, so announcing a
 * redelivered event again is harmless and no inbox is kept.
 */
import { validatePayload, type EventEnvelope } from '@commerce/events';
import type { EventConsumer, LivePubSub } from '@commerce/service-kit';
import { announceInventoryChange } from './inventory-change-publisher';
import { announceLowStock } from './low-stock-publisher';

export const liveQueue = 'catalog.live';

/** The events of its own that catalog announces; also the bindings of its queue. */
export const liveEventTypes = ['inventory.changed', 'inventory.low_stock'] as const;

export function inventoryLivePublisher(live: LivePubSub): EventConsumer {
  return {
    queue: liveQueue,
    bindings: liveEventTypes,
    async handle(event: EventEnvelope) {
      const known = validatePayload(event);
      if (known.type === 'inventory.changed') await announceInventoryChange(live, known.payload, known.occurredAt);
      if (known.type === 'inventory.low_stock') await announceLowStock(live, known.payload, known.occurredAt);
    },
  };
}
