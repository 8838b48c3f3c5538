import type { ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import { print, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../upstream/context';
import { FetchReplay } from '../upstream/fetch-replay';
import type { DeferredOperation, OperationParams } from './deferred-fragments';
import { deliverIncrementally, type IncrementalResult, type StageResult } from './incremental';

/**
 * The results of an admitted query with `@defer`, for a transport that sends
 * successive results (graphql-ws `next` messages): the
 * primary part first (`hasNext: true`), then each deferred fragment as
 * `{ incremental: [{ data, path, label? }], hasNext }`. Every stage runs
 * through Apollo Server as an operation of its own (validation,
 * authorization, error masking), over one context whose FetchReplay lets
 * the stages share the subgraphs' answers. `http` is the request the
 * stages are seen as (its headers carry the client's credentials to the
 * plugins that read them) when the operation came some other way. A
 * primary part without data (a refused or failed operation) is the only
 * result.
 *
 * The caller has checked that `operation` is a query and that some fragment
 * is deferred (`operation.fragments.length > 0`); anything else runs whole
 * with `operation.inlinedDocument()`.
 */
export async function* incrementalResults(
  apollo: ApolloServer<GatewayContext>,
  operation: DeferredOperation,
  params: OperationParams,
  context: GatewayContext,
  http?: HTTPGraphQLRequest,
): AsyncGenerator<IncrementalResult> {
  const contextValue: GatewayContext = { ...context, replay: new FetchReplay() };
  // As Apollo answers it: no `data` at all for a request error (a variable that does not coerce), as without @defer.
  const answer = async (document: DocumentNode): Promise<StageResult> => {
    const response = await apollo.executeOperation(
      { query: print(document), variables: params.variables ?? undefined, operationName: params.operationName ?? undefined, http },
      { contextValue },
    );
    if (response.body.kind !== 'single') throw new Error('A query stage answered in chunks');
    const { data, errors } = response.body.singleResult;
    return { ...(errors ? { errors } : {}), ...(data !== undefined ? { data } : {}) };
  };
  const stage = async (document: DocumentNode): Promise<StageResult> => {
    const { data, errors } = await answer(document);
    return { ...(errors ? { errors } : {}), data: data ?? null };
  };
  const primary = await answer(operation.primaryDocument());
  if (!primary.data) {
    yield { ...primary, hasNext: false };
    return;
  }
  yield* deliverIncrementally(operation, primary, stage);
}
