import { runSubgraph, runUntilSignalled } from '@commerce/service-kit';
import { usersSubgraph } from './server';

runUntilSignalled(() => runSubgraph(usersSubgraph));
