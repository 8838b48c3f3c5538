import { context, propagation } from '@opentelemetry/api';
import type { LivePubSub } from '@commerce/pubsub';

/**
 * The subgraph's live pub/sub, with every message it publishes carrying the
 * active W3C trace context in a `traceparent` field (and `tracestate`, when
 * there is one): the gateway resolves the message inside a span continuing
 * the trace of the change it announces. Everything else is the pub/sub's own.
 */
export function tracedLive(live: LivePubSub): LivePubSub {
  return {
    publish(channel, message) {
      const fields: Record<string, string> = {};
      propagation.inject(context.active(), fields);
      return live.publish(channel, { ...message, ...fields });
    },
    subscribe: (channel, onMessage) => live.subscribe(channel, onMessage),
    onResubscribed: (listener) => live.onResubscribed(listener),
    problem: () => live.problem(),
    close: () => live.close(),
  };
}
