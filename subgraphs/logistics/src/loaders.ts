import { loaderByKey } from '@commerce/service-kit';
import type { ShipmentRepository } from './data/shipment-repository';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(shipments: ShipmentRepository) {
  return {
    shipment: loaderByKey((ids: readonly string[]) => shipments.findByIds(ids), (row) => row.id),
    shipmentByOrder: loaderByKey((orderIds: readonly string[]) => shipments.findByOrderIds(orderIds), (row) => row.orderId),
    latestPosition: loaderByKey((ids: readonly string[]) => shipments.latestPositions(ids), (row) => row.shipmentId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
