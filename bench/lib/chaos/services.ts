import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReplicaSpec } from './cluster-primary';
import { freePorts } from './ports';

const root = path.resolve(__dirname, '../../..');
export const subgraphNames = ['users', 'catalog', 'orders', 'payments', 'logistics'] as const;
export const gatewayNames = ['gateway-1', 'gateway-2'] as const;

export interface Topology {
  specs: ReplicaSpec[];
  gatewayUrls: string[];
}

/**
 * The gateways' clients.json: anonymous callers allowed, with rate limits far
 * above what the run sends. The shop owner alone moves every order and holds
 * 800 subscriptions, which the default per-user budget (600 a minute) would
 * refuse; rate limiting is not what this run is about.
 */
const clients = { anonymous: { mode: 'ALLOW', rateLimit: { perMinute: 10_000_000, perUserPerMinute: 10_000_000 } }, clients: {} };

/**
 * A service's entry: its TypeScript source (run with tsx), or with `bundles`
 * its production bundle, dist/index.js as `npm run build` makes it, which
 * plain node starts in a fraction of the time (CI builds them before).
 */
function entryOf(workspace: string, bundles: boolean): { entry: string; execArgv: string[] } {
  const dir = path.join(root, workspace);
  if (!bundles) return { entry: path.join(dir, 'src/index.ts'), execArgv: ['--import', 'tsx'] };
  const entry = path.join(dir, 'dist/index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the bundles first (npm run build --workspaces --if-present)`);
  return { entry, execArgv: [] };
}

/** Two replicas of every subgraph on one port each, and two gateways on a port each, all routed to these subgraphs. */
export async function chaosTopology(shared: Record<string, string>, dir: string, bundles: boolean): Promise<Topology> {
  const clientsPath = path.join(dir, 'clients.json');
  await writeFile(clientsPath, JSON.stringify(clients));
  const ports = await freePorts(subgraphNames.length + gatewayNames.length);
  const subgraphPorts = Object.fromEntries(subgraphNames.map((name, i) => [name, ports[i]!]));
  const routes = Object.fromEntries(subgraphNames.map((name) => [`SUBGRAPH_${name.toUpperCase()}_URL`, `http://127.0.0.1:${subgraphPorts[name]}/graphql`]));
  const env = { ...shared, NODE_ENV: 'development', HOST: '127.0.0.1', APOLLO_TELEMETRY_DISABLED: 'true', TURBO_TELEMETRY_DISABLED: '1' };
  const gatewayPorts = ports.slice(subgraphNames.length);
  return {
    specs: [
      ...subgraphNames.map((name) => ({
        service: name,
        ...entryOf(`subgraphs/${name}`, bundles),
        args: [],
        replicas: 2,
        env: { ...env, PORT: String(subgraphPorts[name]) },
      })),
      ...gatewayNames.map((name, i) => ({
        service: name,
        ...entryOf('gateway', bundles),
        args: ['--supergraph', path.join(root, 'schema/supergraph.graphql')],
        replicas: 1,
        env: { ...env, ...routes, CLIENTS_PATH: clientsPath, PORT: String(gatewayPorts[i]) },
      })),
    ],
    gatewayUrls: gatewayPorts.map((port) => `http://127.0.0.1:${port}/graphql`),
  };
}
