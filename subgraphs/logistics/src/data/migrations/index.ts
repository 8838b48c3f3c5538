import { CreateShipments1732340000000 } from './1732340000000-create-shipments';
import { ShipmentSaga1732340001000 } from './1732340001000-shipment-saga';

/** In the order they apply. */
export const migrations = [CreateShipments1732340000000, ShipmentSaga1732340001000];
