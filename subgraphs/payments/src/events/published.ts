import { domainEvent } from '@commerce/events';

/** The payment a published event describes; only ids and amounts leave payments, never the card token. */
interface PublishedPayment {
  id: string;
  orderId: string;
}

/** The card was charged on hold for the order's total; orders confirms the order. */
export const paymentAuthorizedEvent = (payment: PublishedPayment & { amountCents: number }) =>
  domainEvent('payment.authorized', payment.orderId, { orderId: payment.orderId, paymentId: payment.id, amountCents: payment.amountCents });

/** The provider refused the card; orders rejects the order and catalog releases its stock. */
export const paymentDeclinedEvent = (payment: PublishedPayment, reason: string) =>
  domainEvent('payment.declined', payment.orderId, { orderId: payment.orderId, paymentId: payment.id, reason });

/** The payment reached its end: captured on delivery, or voided or refunded after a cancellation. */
export const paymentSettledEvent = (payment: PublishedPayment, status: 'CAPTURED' | 'VOIDED' | 'REFUNDED') =>
  domainEvent('payment.settled', payment.orderId, { orderId: payment.orderId, paymentId: payment.id, status });
