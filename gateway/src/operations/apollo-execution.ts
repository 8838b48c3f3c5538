import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import { print, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Identity } from '@commerce/service-kit';
import { deferredOperationOf } from '../defer/deferred-fragments';
import { incrementalResults } from '../defer/execute';
import type { IncrementalResult } from '../defer/incremental';
import type { GatewayContext } from '../upstream/context';
import type { ClientCredentials } from './clients';

/** A query or mutation as a transport other than plain HTTP carries it, already admitted. */
export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** Who sends it: the verified caller and the client's credentials (which label its metrics). */
export interface OperationCaller {
  identity: Identity | null;
  credentials: ClientCredentials;
  /** Where it came from (http/client-address.ts). */
  address: string | null;
}

/**
 * What one query or mutation answers: its single result, or, for a query
 * with `@defer` whose primary part has data, its successive results (the
 * primary part first, then each deferred fragment).
 */
export type OperationResults = FormattedExecutionResult | AsyncIterable<IncrementalResult>;

/** Runs one query or mutation, its results formatted (unexpected errors masked) for the client. */
export type ExecuteOperation = (request: OperationRequest, caller: OperationCaller) => Promise<OperationResults>;

export const isIncremental = (results: OperationResults): results is AsyncIterable<IncrementalResult> => Symbol.asyncIterator in results;

/**
 * Queries and mutations for transports other than plain HTTP (graphql-ws):
 * the same Apollo Server pipeline as HTTP (its plugins, planning over the
 * subgraphs, authorization, error masking) with the same context, so an
 * operation answers alike whichever way it came. The credentials ride as
 * the headers HTTP would have carried them in, for the plugins that read them.
 *
 * A query with `@defer` answers its results incrementally (defer/), each
 * stage an operation of its own through Apollo; a mutation with `@defer`,
 * or a deferred query that does not validate, runs whole with every
 * `@defer` dropped, as over HTTP to a client that does not take multipart.
 */
export function apolloExecution(apollo: ApolloServer<GatewayContext>, schema: () => GraphQLSchema): ExecuteOperation {
  return async (request, { identity, credentials, address }) => {
    const headers = new HeaderMap([['content-type', 'application/json']]);
    if (credentials.apiKey) headers.set('x-api-key', credentials.apiKey);
    if (credentials.clientName) headers.set('apollographql-client-name', credentials.clientName);
    const http: HTTPGraphQLRequest = { method: 'POST', headers, search: '', body: request };
    const { variables, operationName, extensions } = request;
    const whole = async (query: string) => {
      const response = await apollo.executeOperation(
        { query, variables: variables ?? undefined, operationName: operationName ?? undefined, extensions: extensions ?? undefined, http },
        { contextValue: { identity, clientAddress: address } },
      );
      if (response.body.kind !== 'single') throw new Error('Apollo answered a whole operation in chunks');
      return response.body.singleResult;
    };

    const deferred = deferredOperationOf(request);
    if (!deferred) return whole(request.query);
    if (!deferred.deliversIncrementally(schema())) return whole(print(deferred.inlinedDocument()));

    const results = incrementalResults(apollo, deferred, request, { identity }, http)[Symbol.asyncIterator]();
    const first = await results.next();
    if (first.done) throw new Error('A deferred query answered no primary part');
    // Refused or failed whole (no data): the one result, as for any operation.
    if (!first.value.hasNext) {
      const { hasNext: _, ...result } = first.value;
      return result as FormattedExecutionResult;
    }
    return (async function* () {
      yield first.value;
      yield* { [Symbol.asyncIterator]: () => results };
    })();
  };
}
