import { CreateShipments1732340000000 } from './1732340000000-create-shipments';
import { ShipmentSaga1732340001000 } from './1732340001000-shipment-saga';
import { IndexEventRetention1732340002000 } from './1732340002000-index-event-retention';

/** In the order they apply. */
export const migrations = [CreateShipments1732340000000, ShipmentSaga1732340001000, IndexEventRetention1732340002000];
