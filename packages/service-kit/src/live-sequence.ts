/**
 * Which change of its channel's sequence a subscription resolution shows,
 * told to the gateway as `extensions.liveSequence` of the answer. With it the
 * gateway knows where a subscriber's current state stands, so that a change
 * whose message is lost or overtaken after it is resolved anyway (see the
 * gateway's shared-subscription.ts). Keyed by the request's context object.
 */
const shown = new WeakMap<object, number>();

/** Called by a subscription field's resolver: this resolution shows the `sequence`-th change. */
export function reportLiveSequence(context: object, sequence: number): void {
  shown.set(context, sequence);
}

export function reportedLiveSequence(context: object): number | undefined {
  return shown.get(context);
}
