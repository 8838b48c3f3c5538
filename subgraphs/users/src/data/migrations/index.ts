import { CreateUsers1732230000000 } from './1732230000000-create-users';

/** In the order they apply. */
export const migrations = [CreateUsers1732230000000];
