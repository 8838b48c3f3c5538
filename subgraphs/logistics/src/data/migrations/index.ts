import { CreateShipments1732340000000 } from './1732340000000-create-shipments';

/** In the order they apply. */
export const migrations = [CreateShipments1732340000000];
