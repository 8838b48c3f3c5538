import { runUntilSignalled } from '@commerce/service-kit';
import { startGateway } from './start';

runUntilSignalled(async () => {
  const gateway = await startGateway(process.argv.slice(2));
  return { stop: () => gateway.close() };
});
