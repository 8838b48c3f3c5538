import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { Loaders } from './loaders';
import type { OrderService } from './domain/order-service';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  orders: OrderService;
}
