import { CreateCatalog1732240000000 } from './1732240000000-create-catalog';
import { CreateOutbox1732240000001 } from './1732240000001-create-outbox';

/** In the order they apply. */
export const migrations = [CreateCatalog1732240000000, CreateOutbox1732240000001];
