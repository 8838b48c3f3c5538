import { runSubgraph, runUntilSignalled } from '@commerce/service-kit';
import { paymentsSubgraph } from './server';

runUntilSignalled(() => runSubgraph(paymentsSubgraph));
