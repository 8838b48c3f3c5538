import { CreatePayments1732330000000 } from './1732330000000-create-payments';

/** In the order they apply. */
export const migrations = [CreatePayments1732330000000];
