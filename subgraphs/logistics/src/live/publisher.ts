/**
 * Announces every committed change of a shipment (assignment, pickup,
 * delivery) on its order's live channel, so `orderUpdated(orderId)`
 * subscribers can track delivery. The message only names the order
 * (subscribers re-read the current state), so a redelivered event needs no inbox.
 */
import { validatePayload, type EventEnvelope } from '@commerce/events';
import type { EventConsumer, LivePubSub } from '@commerce/service-kit';

export const liveQueue = 'logistics.live';

/** The events of its own that logistics announces; also the bindings of its queue. */
export const liveEventTypes = ['shipment.updated'] as const;

/** The channel of `orderUpdated(orderId)`, without the namespace the pub/sub adds. */
export const orderUpdatedChannel = (orderId: string) => `orderUpdated.${orderId}`;

export function shipmentLivePublisher(live: LivePubSub): EventConsumer {
  return {
    queue: liveQueue,
    bindings: liveEventTypes,
    async handle(event: EventEnvelope) {
      const known = validatePayload(event);
      if (known.type !== 'shipment.updated') return;
      const { orderId } = known.payload;
      await live.publish(orderUpdatedChannel(orderId), { orderId });
    },
  };
}
