import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { ShipmentRepository } from './data/shipment-repository';
import type { Loaders } from './loaders';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  shipments: ShipmentRepository;
}
