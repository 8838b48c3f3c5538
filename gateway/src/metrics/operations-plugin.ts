import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';
import { ErrorCode, metricPrefix } from '@commerce/service-kit';
import type { ClientRegistry } from '../operations/clients';
import { credentialsFromHeaders } from '../operations/credentials';
import { clientLabel } from './client-label';

/** The name in the document's operation, or `anonymous`: never the request's own `operationName`, which need match nothing. */
const operationOf = (request: { operationName?: string | null }): string => request.operationName ?? 'anonymous';

/**
 * Requests, latency and errors per operation and client, for every request
 * Apollo runs (queries and mutations; subscriptions and the requests
 * admission refuses never reach it). Latency runs from the request's start to
 * its response.
 */
export function operationMetricsPlugin<TContext extends BaseContext>(registry: Registry, clients: () => ClientRegistry): ApolloServerPlugin<TContext> {
  const labelNames = ['operation', 'client'] as const;
  const requests = new Counter({
    name: `${metricPrefix}gateway_requests_total`,
    help: 'GraphQL requests answered, by operation name and client.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${metricPrefix}gateway_request_duration_seconds`,
    help: 'Time from a GraphQL request to its response, by operation name and client.',
    labelNames,
    registers: [registry],
  });
  const errors = new Counter({
    name: `${metricPrefix}gateway_errors_total`,
    help: 'Errors in GraphQL responses, by operation name, client and error code.',
    labelNames: [...labelNames, 'code'],
    registers: [registry],
  });
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const client = clientLabel(clients(), credentialsFromHeaders(Object.fromEntries(request.http?.headers ?? [])));
      return {
        async didEncounterErrors(context) {
          const operation = operationOf(context);
          for (const error of context.errors) errors.inc({ operation, client, code: String(error.extensions.code ?? ErrorCode.InternalServerError) });
        },
        async willSendResponse(context) {
          const labels = { operation: operationOf(context), client };
          requests.inc(labels);
          duration.observe(labels, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
