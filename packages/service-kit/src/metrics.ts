import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every metric name starts with it, so a shared Prometheus tells ours from other exporters'. */
export const metricPrefix = 'commerce_';

/**
 * One service's metrics, starting with its process's own (CPU, memory, event
 * loop lag, GC). A registry per service rather than prom-client's global one,
 * so services sharing a process (the quickstart, the tests) each report their own.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: metricPrefix });
  return registry;
}

/** Answers GET /metrics in Prometheus's text format. */
export async function respondMetrics(res: ServerResponse, registry: Registry): Promise<void> {
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType });
  res.end(body);
}
