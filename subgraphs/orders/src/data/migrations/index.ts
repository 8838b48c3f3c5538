import { CreateOrders1732240000000 } from './1732240000000-create-orders';
import { CreateCatalogReadModel1732240001000 } from './1732240001000-create-catalog-read-model';
import { CreateOutbox1732240002000 } from './1732240002000-create-outbox';
import { CreateInbox1732240003000 } from './1732240003000-create-inbox';
import { AddOrderCourier1732240004000 } from './1732240004000-add-order-courier';
import { IndexEventRetention1732240005000 } from './1732240005000-index-event-retention';

/** In the order they apply. */
export const migrations = [
  CreateOrders1732240000000,
  CreateCatalogReadModel1732240001000,
  CreateOutbox1732240002000,
  CreateInbox1732240003000,
  AddOrderCourier1732240004000,
  IndexEventRetention1732240005000,
];
