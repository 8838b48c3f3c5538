/** Every state a payment can be in; the migration's CHECK constraint lists the same values. */
export const paymentStatuses = ['PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** A payment as the repositories return it: a plain object, never a TypeORM instance. */
export interface PaymentRow {
  id: string;
  /** One payment per order, enforced by a unique index. */
  orderId: string;
  amountCents: number;
  status: PaymentStatus;
  /** Why the provider declined; null unless status is DECLINED. */
  declineReason: string | null;
  /** The provider's id for the authorization, needed to capture, void or refund it. */
  providerReference: string | null;
  createdAt: Date;
  updatedAt: Date;
}
