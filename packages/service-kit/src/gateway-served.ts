/**
 * Subscription fields that the gateway streams (graphql-ws, SSE, multipart,
 * fanned out through Redis). The owning subgraph never streams them itself:
 * it authorizes each subscriber (the field's `subscribe` resolver) and
 * resolves each published change (its `resolve`).
 */

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** A stream that has ended: what an authorized subscribe hands back, since events reach the gateway, not us. */
async function* ended(): AsyncGenerator<never> {}

/**
 * The `subscribe` resolver of a gateway-served field: runs `authorize` (which
 * throws the typed error that refuses the subscriber) and returns an ended
 * stream. Without a check, anyone may subscribe.
 */
export function gatewayServed<TArgs, TContext>(authorize?: (args: TArgs, context: TContext) => Promise<void> | void) {
  return async (_root: unknown, args: TArgs, context: TContext): Promise<AsyncIterable<never>> => {
    await authorize?.(args, context);
    return ended();
  };
}
