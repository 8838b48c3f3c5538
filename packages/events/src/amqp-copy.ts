import type { MessageProperties, Options } from 'amqplib';

/**
 * The publish options that make a copy of a received message (to a retry or
 * dead-letter queue, or back from one) carry what the original carried, with
 * the given headers.
 */
export function copyOptions(properties: MessageProperties, headers: Record<string, unknown>): Options.Publish {
  const { messageId, type, contentType, correlationId, timestamp }: Record<'messageId' | 'type' | 'contentType' | 'correlationId' | 'timestamp', unknown> =
    properties;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    persistent: true,
    messageId: text(messageId),
    type: text(type),
    contentType: text(contentType),
    correlationId: text(correlationId),
    timestamp: typeof timestamp === 'number' ? timestamp : undefined,
    headers,
  };
}
