import type { Stack } from '../../scripts/stack';

const healthUrl = (graphqlUrl: string) => new URL('/health', graphqlUrl).toString();

/**
 * The status of GET /health on the gateway and on every subgraph, by name: a
 * request that crashed or wedged a service shows here as something other
 * than 200 (or as the fetch's failure).
 */
export async function healthStatuses(stack: Stack): Promise<Record<string, number | string>> {
  const targets: [string, string][] = [['gateway', stack.gatewayUrl], ...Object.entries(stack.services).map(([name, s]): [string, string] => [name, s.subgraph.url])];
  const statuses = await Promise.all(
    targets.map(async ([name, url]) => {
      try {
        const response = await fetch(healthUrl(url), { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        return [name, response.status] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  return Object.fromEntries(statuses);
}
