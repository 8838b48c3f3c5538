import { EntitySchema } from 'typeorm';
import type { PaymentRow } from './rows';

// EntitySchema rather than decorators: rows stay plain interfaces, and no
// decorator metadata is needed at run time.
export const PaymentEntity = new EntitySchema<PaymentRow>({
  name: 'Payment',
  tableName: 'payments',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    orderId: { type: 'uuid', name: 'order_id' },
    amountCents: { type: 'int', name: 'amount_cents' },
    status: { type: 'text' },
    declineReason: { type: 'text', name: 'decline_reason', nullable: true },
    providerReference: { type: 'text', name: 'provider_reference', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});

export const entities = [PaymentEntity];
