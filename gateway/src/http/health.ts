import type { ServerResponse } from 'node:http';

export interface SubgraphHealth {
  url: string;
  status: 'ok' | 'unavailable';
  /** Why, when the subgraph is unavailable (its own reasons, or why it could not be reached). */
  reason?: unknown;
}

export interface GatewayHealth {
  status: 'ok' | 'unavailable';
  reasons?: Record<string, string>;
  /** Dependencies the gateway serves without, in part (Redis: subscriptions), that are failing. */
  degraded?: Record<string, string>;
  subgraphs: Record<string, SubgraphHealth>;
}

/** Each subgraph serves GET /health beside its /graphql. */
export function healthUrlOf(routingUrl: string): string {
  return new URL('/health', routingUrl).toString();
}

async function probe(routingUrl: string, timeoutMs: number): Promise<SubgraphHealth> {
  const url = routingUrl;
  try {
    const response = await fetch(healthUrlOf(routingUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (response.ok) return { url, status: 'ok' };
    let reason: unknown = `HTTP ${response.status}`;
    try {
      const body = JSON.parse(text) as { reasons?: unknown };
      reason = body.reasons ?? reason;
    } catch {
      // A non-JSON error page: the status says enough.
    }
    return { url, status: 'unavailable', reason };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    return { url, status: 'unavailable', reason: cause ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * The gateway is healthy while it has a supergraph and at least one subgraph
 * answers: a subgraph that is down is reported, but the rest of the graph
 * still serves, so orchestrators must not restart the gateway for it.
 */
export async function checkGatewayHealth(
  subgraphs: Record<string, string> | null,
  timeoutMs = 2_000,
): Promise<GatewayHealth> {
  if (!subgraphs) return { status: 'unavailable', reasons: { supergraph: 'no supergraph loaded' }, subgraphs: {} };
  const names = Object.keys(subgraphs);
  const results = await Promise.all(names.map((name) => probe(subgraphs[name]!, timeoutMs)));
  const report = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
  const anyUp = results.some((r) => r.status === 'ok');
  if (names.length > 0 && !anyUp) {
    return { status: 'unavailable', reasons: { subgraphs: 'no subgraph is reachable' }, subgraphs: report };
  }
  return { status: 'ok', subgraphs: report };
}

export function sendHealth(res: ServerResponse, health: GatewayHealth): void {
  res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(health));
}
