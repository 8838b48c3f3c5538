import { Counter, Histogram, type Registry } from 'prom-client';
import { metricPrefix } from '@commerce/service-kit';

/** One fetch the gateway sent a subgraph: how long until its answer was read, and the answer's HTTP status (null: none came). */
export interface SubgraphFetch {
  subgraph: string;
  seconds: number;
  status: number | null;
}

export type SubgraphFetchObserver = (fetch: SubgraphFetch) => void;

/** Why a fetch counts as failed, as a label: no answer, or the class of its HTTP status. */
function failureOf(status: number | null): string | null {
  if (status === null) return 'unavailable';
  return status >= 200 && status < 300 ? null : `http_${Math.floor(status / 100)}xx`;
}

/** Latency and failures of the gateway's fetches, per subgraph (merged identical fetches count once: they were sent once). */
export function subgraphFetchMetrics(registry: Registry): SubgraphFetchObserver {
  const duration = new Histogram({
    name: `${metricPrefix}gateway_subgraph_fetch_duration_seconds`,
    help: 'Time from sending a fetch to a subgraph to having read its answer, by subgraph.',
    labelNames: ['subgraph'],
    registers: [registry],
  });
  const failures = new Counter({
    name: `${metricPrefix}gateway_subgraph_fetch_errors_total`,
    help: 'Subgraph fetches that got no answer (unavailable) or a non-2xx status, by subgraph and reason.',
    labelNames: ['subgraph', 'reason'],
    registers: [registry],
  });
  return ({ subgraph, seconds, status }) => {
    duration.observe({ subgraph }, seconds);
    const reason = failureOf(status);
    if (reason) failures.inc({ subgraph, reason });
  };
}
