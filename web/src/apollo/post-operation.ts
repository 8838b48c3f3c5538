import { print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { clientName, clientVersion, graphqlUrl, sendDocumentIds } from '../config';
import { documentId } from './document-id';

export class OperationError extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors[0]?.message ?? 'GraphQL error');
    this.name = 'OperationError';
  }
  get extensions() {
    return this.errors[0]?.extensions;
  }
}

/** The request body every transport of this app sends for a document: its id in production, its text in development. */
export function operationBody(document: DocumentNode, variables: Record<string, unknown> | undefined) {
  const extensions = sendDocumentIds ? { persistedQuery: { version: 1, sha256Hash: documentId(document) } } : undefined;
  return { query: sendDocumentIds ? undefined : print(document), variables, extensions };
}

/**
 * One operation over plain fetch, outside Apollo Client: the session's own
 * upkeep (refresh, sign-out) must not wait behind the auth link that needs it.
 */
export async function postOperation<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'apollographql-client-name': clientName,
      'apollographql-client-version': clientVersion,
    },
    body: JSON.stringify(operationBody(document, variables)),
  });
  const body = (await response.json()) as { data?: R | null; errors?: GraphQLFormattedError[] };
  if (body.errors?.length || !body.data) throw new OperationError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
  return body.data;
}
