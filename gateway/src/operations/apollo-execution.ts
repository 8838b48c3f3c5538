import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Identity } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
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
}

/** Runs one query or mutation to its single result, formatted (unexpected errors masked) for the client. */
export type ExecuteOperation = (request: OperationRequest, caller: OperationCaller) => Promise<FormattedExecutionResult>;

/**
 * Queries and mutations for transports other than plain HTTP (graphql-ws):
 * the same Apollo Server pipeline as HTTP (its plugins, planning over the
 * subgraphs, authorization, error masking) with the same context, so an
 * operation answers alike whichever way it came. The credentials ride as
 * the headers HTTP would have carried them in, for the plugins that read them.
 */
export function apolloExecution(apollo: ApolloServer<GatewayContext>): ExecuteOperation {
  return async (request, { identity, credentials }) => {
    const headers = new HeaderMap([['content-type', 'application/json']]);
    if (credentials.apiKey) headers.set('x-api-key', credentials.apiKey);
    if (credentials.clientName) headers.set('apollographql-client-name', credentials.clientName);
    const { query, variables, operationName, extensions } = request;
    const response = await apollo.executeOperation(
      {
        query,
        variables: variables ?? undefined,
        operationName: operationName ?? undefined,
        extensions: extensions ?? undefined,
        http: { method: 'POST', headers, search: '', body: request },
      },
      { contextValue: { identity } },
    );
    if (response.body.kind === 'single') return response.body.singleResult;
    // Incremental delivery is plain HTTP's (multipart) alone.
    return { errors: [refusal(RefusalCode.BadRequest, 'Incremental delivery (@defer) is not served over this transport').toJSON()] };
  };
}
