import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { PaymentRepository } from './data/payment-repository';
import type { Loaders } from './loaders';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  payments: PaymentRepository;
}
