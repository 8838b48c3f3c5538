import { validatePayload, type EventEnvelope } from '@commerce/events';
import type { EventConsumer, LivePubSub } from '@commerce/service-kit';
import { announcePlacedOrder } from './placed-publisher';
import { announceStatusChange } from './status-publisher';

export const liveQueue = 'orders.live';

/** The events of its own that orders announces; also the bindings of its queue. */
export const liveEventTypes = ['order.status_changed', 'order.placed'] as const;

/**
 * Turns orders' committed events into live messages for the gateways. Each
 * message states a fact that stays true, so announcing a redelivered event
 * again is harmless and no inbox is kept.
 */
export function ordersLivePublisher(live: LivePubSub): EventConsumer {
  return {
    queue: liveQueue,
    bindings: liveEventTypes,
    async handle(event: EventEnvelope) {
      const known = validatePayload(event);
      if (known.type === 'order.status_changed') await announceStatusChange(live, known.payload);
      if (known.type === 'order.placed') await announcePlacedOrder(live, known.payload);
    },
  };
}
