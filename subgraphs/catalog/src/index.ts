import { runSubgraph, runUntilSignalled } from '@commerce/service-kit';
import { catalogSubgraph } from './server';

runUntilSignalled(() => runSubgraph(catalogSubgraph));
