import { liveChannels } from '@commerce/pubsub';
import type { LiveAnnouncer } from '@commerce/service-kit';
import type { PlacedOrderMessage, StatusChangeMessage } from './live-messages';

/**
 * What orders' subscribers hear of its committed events:
 *
 * - every status change on the order's `orderUpdated` channel, naming the
 *   change, not just the order, so a subscriber is shown the order as of this
 *   change even when later ones have committed before it is resolved;
 * - every new order on its shop's `orderPlaced` channel, with its ids only
 *   (never the card token).
 */
export const live: LiveAnnouncer = (event) => {
  switch (event.type) {
    case 'order.status_changed': {
      const { orderId, to, sequence } = event.payload;
      const message: StatusChangeMessage = { orderId, status: to, sequence };
      return [{ channel: liveChannels.orderUpdated(orderId), message }];
    }
    case 'order.placed': {
      const message: PlacedOrderMessage = { orderId: event.payload.orderId, shopId: event.payload.shopId };
      return [{ channel: liveChannels.shopOrders(message.shopId), message }];
    }
    default:
      return [];
  }
};
