import type { OrderStatusChanged } from '@commerce/events';
import { liveChannels, type LivePubSub } from '@commerce/pubsub';
import type { StatusChangeMessage } from './messages';

/**
 * Announces one status change on the order's channel. The message names the
 * change, not just the order, so a subscriber is shown the order as of this
 * change even when later ones have committed before it is resolved.
 */
export async function announceStatusChange(live: LivePubSub, change: OrderStatusChanged): Promise<void> {
  const message: StatusChangeMessage = { orderId: change.orderId, status: change.to, sequence: change.sequence };
  await live.publish(liveChannels.orderUpdated(change.orderId), message);
}
