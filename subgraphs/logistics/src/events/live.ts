import { orderUpdates } from '@commerce/service-kit';

/** Every shipment change shows in its order's `orderUpdated` (its `shipment` field): the message names the order, which subscribers re-read. */
export const live = orderUpdates(['shipment.updated']);
