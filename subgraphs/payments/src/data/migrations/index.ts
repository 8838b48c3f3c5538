import { CreatePayments1732330000000 } from './1732330000000-create-payments';
import { AddSaga1732330000001 } from './1732330000001-add-saga';

/** In the order they apply. */
export const migrations = [CreatePayments1732330000000, AddSaga1732330000001];
