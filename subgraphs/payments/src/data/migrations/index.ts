import { CreatePayments1732330000000 } from './1732330000000-create-payments';
import { AddSaga1732330000001 } from './1732330000001-add-saga';
import { IndexEventRetention1732330000002 } from './1732330000002-index-event-retention';

/** In the order they apply. */
export const migrations = [CreatePayments1732330000000, AddSaga1732330000001, IndexEventRetention1732330000002];
