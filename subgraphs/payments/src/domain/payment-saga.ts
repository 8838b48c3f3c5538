import type { EntityManager } from 'typeorm';
import { ignoreStep, type OrderPlaced, type SagaStep } from '@commerce/events';
import { changePayment, lockPaymentOfOrder, openPayment, type SagaPaymentRow } from '../data/saga-repository';
import { paymentAuthorizedEvent, paymentDeclinedEvent, paymentSettledEvent } from '../events/published';
import type { PaymentProvider } from '../provider/payment-provider';

/**
 * Thrown when an event concerns a payment that does not exist yet: its
 * `order.placed` comes from another producer and may still be on its way, so
 * the bus should retry later rather than drop the event.
 */
export class PaymentNotOpenedError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} has no payment yet; its order.placed has not been handled`);
    this.name = 'PaymentNotOpenedError';
  }
}

async function requirePayment(manager: EntityManager, orderId: string): Promise<SagaPaymentRow> {
  const payment = await lockPaymentOfOrder(manager, orderId);
  if (!payment) throw new PaymentNotOpenedError(orderId);
  return payment;
}

/** The provider's reference of an authorized (or captured) payment, which every later call needs. */
function referenceOf(payment: SagaPaymentRow): string {
  if (!payment.providerReference) throw new Error(`Payment ${payment.id} is ${payment.status} without a provider reference`);
  return payment.providerReference;
}

/**
 * The payments side of the order saga, as plain functions over the handler's
 * transaction. Each one locks the order's payment, checks its status and does
 * nothing when the event no longer applies; the provider is called while the
 * row is locked, so two deliveries can never both call it, and its calls are
 * idempotent, so a retry after a crash is harmless.
 */
export function paymentSaga(provider: PaymentProvider) {
  return {
    /** order.placed: a PENDING payment for the order's total, keeping the card token for the authorization. */
    async open(manager: EntityManager, order: OrderPlaced): Promise<SagaStep> {
      const opened = await openPayment(manager, { orderId: order.orderId, amountCents: order.totalCents, cardToken: order.cardToken });
      return opened ? { events: [] } : ignoreStep('the order already has a payment');
    },

    /**
     * inventory.reserved: authorize with the order id as idempotency key. A
     * decline is an answer (DECLINED + payment.declined); a provider failure
     * throws, so the event is retried.
     */
    async authorize(manager: EntityManager, orderId: string): Promise<SagaStep> {
      const payment = await requirePayment(manager, orderId);
      if (payment.status !== 'PENDING') return ignoreStep(`the payment is ${payment.status}`);
      if (!payment.cardToken) throw new Error(`Payment ${payment.id} is PENDING without a card token`);
      const answer = await provider.authorize(payment.amountCents, payment.cardToken, payment.orderId);
      if (answer.approved) {
        await changePayment(manager, payment.id, { status: 'AUTHORIZED', providerReference: answer.reference, clearCardToken: true });
        return {
          events: [paymentAuthorizedEvent(payment)],
        };
      }
      await changePayment(manager, payment.id, { status: 'DECLINED', declineReason: answer.reason, clearCardToken: true });
      return { events: [paymentDeclinedEvent(payment, answer.reason)] };
    },

    /** inventory.rejected: nothing was held, so the PENDING payment is voided without asking the provider. */
    async voidUnauthorized(manager: EntityManager, orderId: string): Promise<SagaStep> {
      const payment = await requirePayment(manager, orderId);
      if (payment.status !== 'PENDING') return ignoreStep(`the payment is ${payment.status}`);
      await changePayment(manager, payment.id, { status: 'VOIDED', clearCardToken: true });
      return { events: [paymentSettledEvent(payment, 'VOIDED')] };
    },

    /** order.cancelled: release a hold, pay back a capture, or void a payment never authorized. */
    async cancel(manager: EntityManager, orderId: string): Promise<SagaStep> {
      const payment = await requirePayment(manager, orderId);
      switch (payment.status) {
        case 'PENDING':
          await changePayment(manager, payment.id, { status: 'VOIDED', clearCardToken: true });
          return { events: [paymentSettledEvent(payment, 'VOIDED')] };
        case 'AUTHORIZED':
          await provider.void(referenceOf(payment));
          await changePayment(manager, payment.id, { status: 'VOIDED' });
          return { events: [paymentSettledEvent(payment, 'VOIDED')] };
        case 'CAPTURED':
          await provider.refund(referenceOf(payment));
          await changePayment(manager, payment.id, { status: 'REFUNDED' });
          return { events: [paymentSettledEvent(payment, 'REFUNDED')] };
        default:
          return ignoreStep(`the payment is ${payment.status}`);
      }
    },

    /** order.delivered: take the held amount. */
    async capture(manager: EntityManager, orderId: string): Promise<SagaStep> {
      const payment = await requirePayment(manager, orderId);
      if (payment.status !== 'AUTHORIZED') return ignoreStep(`the payment is ${payment.status}`);
      await provider.capture(referenceOf(payment));
      await changePayment(manager, payment.id, { status: 'CAPTURED' });
      return { events: [paymentSettledEvent(payment, 'CAPTURED')] };
    },
  };
}

export type PaymentSaga = ReturnType<typeof paymentSaga>;
