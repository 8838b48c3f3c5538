import { In, type DataSource, type QueryFailedError } from 'typeorm';
import { PaymentEntity } from './entities';
import type { PaymentRow, PaymentStatus } from './rows';

/** The order already has a payment; an order is paid at most once. */
export class PaymentAlreadyRecordedError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} already has a payment`);
    this.name = 'PaymentAlreadyRecordedError';
  }
}

export interface NewPayment {
  orderId: string;
  amountCents: number;
  status: PaymentStatus;
  declineReason?: string | null;
  providerReference?: string | null;
}

const uniqueViolation = '23505';

export function paymentRepository(db: DataSource) {
  const payments = db.getRepository(PaymentEntity);
  return {
    async findByIds(ids: readonly string[]): Promise<PaymentRow[]> {
      return payments.findBy({ id: In([...ids]) });
    },

    async findByOrderIds(orderIds: readonly string[]): Promise<PaymentRow[]> {
      return payments.findBy({ orderId: In([...orderIds]) });
    },

    /**
     * Inserts the payment for an order. Throws PaymentAlreadyRecordedError when
     * the order has one (decided by the unique index, so concurrent attempts are safe).
     */
    async recordPayment(payment: NewPayment): Promise<PaymentRow> {
      try {
        return await payments.save(
          payments.create({
            ...payment,
            declineReason: payment.declineReason ?? null,
            providerReference: payment.providerReference ?? null,
          }),
        );
      } catch (error) {
        if ((error as QueryFailedError & { code?: string }).code === uniqueViolation) {
          throw new PaymentAlreadyRecordedError(payment.orderId);
        }
        throw error;
      }
    },
  };
}

export type PaymentRepository = ReturnType<typeof paymentRepository>;
