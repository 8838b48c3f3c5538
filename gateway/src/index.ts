import { runUntilSignalled } from '@commerce/service-kit';
import { gatewayWorkers, runClustered } from './cluster';
import { startGateway } from './start';

runClustered(gatewayWorkers(), () =>
  runUntilSignalled(async () => {
    const gateway = await startGateway(process.argv.slice(2));
    return { stop: () => gateway.close() };
  }),
);
