/**
 * Announces every committed change of a payment on its order's live channel,
 * so `orderUpdated(orderId)` subscribers see the payment status move. The
 * message only names the order (subscribers re-read the current state), so a
 * redelivered event needs no inbox.
 */
import { validatePayload, type EventEnvelope } from '@commerce/events';
import type { EventConsumer, LivePubSub } from '@commerce/service-kit';

export const liveQueue = 'payments.live';

/** The events of its own that payments announces; also the bindings of its queue. */
export const liveEventTypes = ['payment.authorized', 'payment.declined', 'payment.settled'] as const;

/** The channel of `orderUpdated(orderId)`, without the namespace the pub/sub adds. */
export const orderUpdatedChannel = (orderId: string) => `orderUpdated.${orderId}`;

export function paymentLivePublisher(live: LivePubSub): EventConsumer {
  return {
    queue: liveQueue,
    bindings: liveEventTypes,
    async handle(event: EventEnvelope) {
      const known = validatePayload(event);
      switch (known.type) {
        case 'payment.authorized':
        case 'payment.declined':
        case 'payment.settled':
          await live.publish(orderUpdatedChannel(known.payload.orderId), { orderId: known.payload.orderId });
          return;
        default:
          return;
      }
    },
  };
}
