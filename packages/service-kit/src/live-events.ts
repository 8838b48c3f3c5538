import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { errorField, validatePayload, type EventEnvelope, type EventType, type KnownEvent, type PayloadOf } from '@commerce/events';
import { liveChannels, type LivePubSub } from '@commerce/pubsub';
import type { Logger } from './logger';
import { serviceContext } from './tracing';

/** One message on one live channel (`liveChannels` in @commerce/pubsub). */
export interface LiveMessage {
  channel: string;
  message: object;
}

/**
 * What a subgraph announces to live subscriptions for one of its own
 * committed events: nothing for an event no subscription shows. A message
 * restates a fact that stays true, so announcing an event twice is harmless.
 */
export type LiveAnnouncer = (event: KnownEvent) => LiveMessage[];

/** The event types whose payload names an order, i.e. that can change what `orderUpdated` shows. */
export type OrderEventType = { [T in EventType]: PayloadOf<T> extends { orderId: string } ? T : never }[EventType];

/**
 * Announces `eventTypes` on their order's `orderUpdated` channel. The message
 * only names the order: subscribers re-read its current state.
 */
export function orderUpdates(eventTypes: readonly OrderEventType[]): LiveAnnouncer {
  const announced = new Set<string>(eventTypes);
  return (event) => {
    if (!announced.has(event.type)) return [];
    const { orderId } = event.payload as { orderId: string };
    return [{ channel: liveChannels.orderUpdated(orderId), message: { orderId } }];
  };
}

/** A subgraph's outgoing live events: its committed events, as messages on the live pub/sub. */
export interface LiveEvents {
  /**
   * Queues the messages for `events` (committed, in the order they were
   * written) and returns at once: a Redis that is away holds live updates
   * back, never the relay that hands them on. Messages go out one after
   * another, in order.
   */
  announce(events: readonly EventEnvelope[]): void;
  /** Resolves once everything announced so far has been published or has failed (and been logged). */
  settled(): Promise<void>;
}

/**
 * The kit's one way for a subgraph to publish live updates: the outbox relay
 * hands it each event once its transaction has committed and the broker has
 * confirmed it, and `announcer` says what subscribers hear of it. Each message
 * is published in the trace of the change its event announces (`live` is the
 * traced pub/sub, which stamps it on the message).
 */
export function liveEvents(options: { service: string; live: LivePubSub; announcer: LiveAnnouncer; logger: Logger }): LiveEvents {
  const { service, live, announcer, logger } = options;
  let tail: Promise<void> = Promise.resolve();
  const publish = (event: EventEnvelope) => context.with(serviceContext(service, propagation.extract(ROOT_CONTEXT, event)), () => announce(event));
  const announce = async (event: EventEnvelope) => {
    let messages: LiveMessage[];
    try {
      messages = announcer(validatePayload(event));
    } catch (error) {
      logger.error({ eventId: event.id, type: event.type, err: errorField(error) }, 'A committed event has no valid live message; nothing announced');
      return;
    }
    for (const { channel, message } of messages) {
      await live.publish(channel, message).catch((error: unknown) => {
        // Lost for now: subscribers read the current state again when their subscription resumes.
        logger.error({ eventId: event.id, channel, err: errorField(error) }, 'Could not publish a live update');
      });
    }
  };
  return {
    announce(events) {
      for (const event of events) tail = tail.then(() => publish(event));
    },
    settled: () => tail,
  };
}
