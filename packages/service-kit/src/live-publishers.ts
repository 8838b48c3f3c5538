import { validatePayload, type EventEnvelope, type EventType, type PayloadOf } from '@commerce/events';
import { liveChannels, type LivePubSub } from '@commerce/pubsub';
import type { EventConsumer } from './event-work';

/** The event types whose payload names an order, i.e. that can change what `orderUpdated` shows. */
export type OrderEventType = { [T in EventType]: PayloadOf<T> extends { orderId: string } ? T : never }[EventType];

/**
 * Announces a subgraph's own committed events that touch an order on the
 * order's live channel, so gateways re-resolve `orderUpdated` for their
 * subscribers. The message only names the order (subscribers re-read its
 * current state), so a redelivered event needs no inbox: announcing twice is
 * harmless.
 */
export function orderUpdatePublisher(live: LivePubSub, queue: string, eventTypes: readonly OrderEventType[]): EventConsumer {
  const announced = new Set<string>(eventTypes);
  return {
    queue,
    bindings: eventTypes,
    async handle(event: EventEnvelope) {
      if (!announced.has(event.type)) return;
      const { orderId } = validatePayload(event).payload as { orderId: string };
      await live.publish(liveChannels.orderUpdated(orderId), { orderId });
    },
  };
}
