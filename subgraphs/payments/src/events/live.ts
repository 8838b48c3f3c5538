import { orderUpdates } from '@commerce/service-kit';

/** What changes a payment makes to an order's `orderUpdated` (its `payment` field): each names the order, which subscribers re-read. */
export const live = orderUpdates(['payment.authorized', 'payment.declined', 'payment.settled']);
