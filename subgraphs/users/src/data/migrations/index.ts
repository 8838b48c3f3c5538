import { CreateUsers1732230000000 } from './1732230000000-create-users';
import { CreateSessions1732240000000 } from './1732240000000-create-sessions';

/** In the order they apply. */
export const migrations = [CreateUsers1732230000000, CreateSessions1732240000000];
