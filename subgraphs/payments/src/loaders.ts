import { loaderByKey } from '@commerce/service-kit';
import type { PaymentRepository } from './data/payment-repository';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(payments: PaymentRepository) {
  return {
    payment: loaderByKey((ids: readonly string[]) => payments.findByIds(ids), (row) => row.id),
    paymentByOrder: loaderByKey((orderIds: readonly string[]) => payments.findByOrderIds(orderIds), (row) => row.orderId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
