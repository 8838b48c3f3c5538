import type { OrderPlaced } from '@commerce/events';
import { liveChannels, type LivePubSub } from '@commerce/pubsub';
import type { PlacedOrderMessage } from './messages';

/** Announces a new order on its shop's channel; only ids travel (never the card token). */
export async function announcePlacedOrder(live: LivePubSub, placed: OrderPlaced): Promise<void> {
  const message: PlacedOrderMessage = { orderId: placed.orderId, shopId: placed.shopId };
  await live.publish(liveChannels.shopOrders(placed.shopId), message);
}
