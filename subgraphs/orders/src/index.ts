import { runSubgraph, runUntilSignalled } from '@commerce/service-kit';
import { ordersSubgraph } from './server';

runUntilSignalled(() => runSubgraph(ordersSubgraph));
