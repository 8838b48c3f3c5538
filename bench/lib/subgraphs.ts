import type { SubgraphModule } from '@commerce/service-kit';
import { startTestSubgraph, type TestSubgraph } from '@commerce/service-kit/testing';

/** The five subgraphs by name, and the export each server.ts provides. */
const modules: Record<string, { path: string; exportName: string }> = {
  users: { path: '../../subgraphs/users/src/server', exportName: 'usersSubgraph' },
  catalog: { path: '../../subgraphs/catalog/src/server', exportName: 'catalogSubgraph' },
  orders: { path: '../../subgraphs/orders/src/server', exportName: 'ordersSubgraph' },
  payments: { path: '../../subgraphs/payments/src/server', exportName: 'paymentsSubgraph' },
  logistics: { path: '../../subgraphs/logistics/src/server', exportName: 'logisticsSubgraph' },
};

export interface BenchSubgraph extends TestSubgraph {
  name: string;
  /** HTTP requests this subgraph has answered since the count was last reset. */
  requests: { count: number };
}

async function load(name: string): Promise<SubgraphModule | Error> {
  const entry = modules[name]!;
  try {
    const loaded = (await import(entry.path)) as Record<string, SubgraphModule | undefined>;
    return loaded[entry.exportName] ?? new Error(`${entry.path} does not export ${entry.exportName}`);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Starts every subgraph that can be loaded, in this process, on port 0
 * against `databaseUrl`, each on the kit's in-process event bus (the seed
 * writes rows directly, so no events need to flow). A subgraph that
 * cannot be loaded yet is reported in `missing` instead of failing the run.
 */
export async function startSubgraphs(databaseUrl: string): Promise<{ running: BenchSubgraph[]; missing: Record<string, string>; stop(): Promise<void> }> {
  const running: BenchSubgraph[] = [];
  const missing: Record<string, string> = {};
  for (const name of Object.keys(modules)) {
    const module = await load(name);
    if (module instanceof Error) {
      missing[name] = module.message.split('\n')[0]!;
      continue;
    }
    const subgraph = await startTestSubgraph(module, databaseUrl);
    const requests = { count: 0 };
    subgraph.server.server.on('request', () => {
      requests.count += 1;
    });
    running.push({ ...subgraph, name, requests });
  }
  return {
    running,
    missing,
    async stop() {
      for (const subgraph of running.reverse()) await subgraph.stop().catch(() => undefined);
    },
  };
}
