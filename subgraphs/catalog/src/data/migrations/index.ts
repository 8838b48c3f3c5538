import { CreateCatalog1732240000000 } from './1732240000000-create-catalog';
import { CreateOutbox1732240000001 } from './1732240000001-create-outbox';
import { CreateReservations1732240000002 } from './1732240000002-create-reservations';
import { IndexEventRetention1732240000003 } from './1732240000003-index-event-retention';

/** In the order they apply. */
export const migrations = [
  CreateCatalog1732240000000,
  CreateOutbox1732240000001,
  CreateReservations1732240000002,
  IndexEventRetention1732240000003,
];
