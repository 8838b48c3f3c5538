import type { BaseContext } from '@apollo/server';
import { Counter } from 'prom-client';
import { createMetricsRegistry, metricPrefix } from '@commerce/service-kit';
import type { ClientRegistry } from '../operations/clients';
import type { SubscriptionStats } from '../subscriptions/hub';
import { ConnectionMetrics, registerSubscriptionMetrics } from './live';
import { operationMetricsPlugin } from './operations-plugin';
import { subgraphFetchMetrics } from './subgraph-fetches';

/** The gateway's metrics, served on its GET /metrics; each part is handed to what it measures. */
export class GatewayMetrics {
  readonly registry = createMetricsRegistry();
  readonly connections = new ConnectionMetrics(this.registry);
  /** For each subgraph's data source. */
  readonly subgraphFetched = subgraphFetchMetrics(this.registry);
  private readonly refusals = new Counter({
    name: `${metricPrefix}gateway_refusals_total`,
    help: 'Operations client admission refused, by code (INVALID_API_KEY, OPERATION_NOT_IN_SAFELIST, ...), over every transport.',
    labelNames: ['code'],
    registers: [this.registry],
  });

  /** For Admission: counts one refusal. */
  readonly refused = (code: string): void => {
    this.refusals.inc({ code });
  };

  /** Apollo Server's plugin for requests, latency and errors per operation and client. */
  operationsPlugin<TContext extends BaseContext>(clients: () => ClientRegistry) {
    return operationMetricsPlugin<TContext>(this.registry, clients);
  }

  /** Reads the subscription hub's figures at every scrape. */
  watchSubscriptions(stats: () => SubscriptionStats): void {
    registerSubscriptionMetrics(this.registry, stats);
  }
}
