/**
 * Announces every committed status change of an order on its live channel, so
 * gateways re-resolve `orderUpdated(orderId)` for their subscribers. The
 * message only names the order: subscribers re-read its current state, which
 * is also why a redelivered event needs no inbox (announcing twice is harmless).
 */
import { validatePayload, type EventEnvelope } from '@commerce/events';
import type { EventConsumer, LivePubSub } from '@commerce/service-kit';

export const liveQueue = 'orders.live';

/** The events of its own that orders announces; also the bindings of its queue. */
export const liveEventTypes = ['order.status_changed'] as const;

/** The channel of `orderUpdated(orderId)`, without the namespace the pub/sub adds. */
export const orderUpdatedChannel = (orderId: string) => `orderUpdated.${orderId}`;

export function orderLivePublisher(live: LivePubSub): EventConsumer {
  return {
    queue: liveQueue,
    bindings: liveEventTypes,
    async handle(event: EventEnvelope) {
      const known = validatePayload(event);
      if (known.type !== 'order.status_changed') return;
      const { orderId } = known.payload;
      await live.publish(orderUpdatedChannel(orderId), { orderId });
    },
  };
}
