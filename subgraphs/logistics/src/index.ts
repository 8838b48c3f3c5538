import { runSubgraph, runUntilSignalled } from '@commerce/service-kit';
import { logisticsSubgraph } from './server';

runUntilSignalled(() => runSubgraph(logisticsSubgraph));
