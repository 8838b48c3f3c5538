import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { ShipmentRepository } from './data/shipment-repository';
import type { Loaders } from './loaders';
import type { ShipmentService } from './domain/shipment-service';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  shipments: ShipmentRepository;
  /** The couriers' moves on shipments. */
  couriers: ShipmentService;
}
