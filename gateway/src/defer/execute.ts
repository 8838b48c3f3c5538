import type { ApolloServer } from '@apollo/server';
import { print, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../upstream/context';
import { FetchReplay } from '../upstream/fetch-replay';
import type { DeferredOperation, OperationParams } from './deferred-fragments';
import { deliverIncrementally, type IncrementalResult, type StageResult } from './incremental';

/**
 * The results of an admitted query with `@defer`, for a transport that sends
 * successive results (graphql-ws `next` messages, SSE `next` events): the
 * primary part first (`hasNext: true`), then each deferred fragment as
 * `{ incremental: [{ data, path, label? }], hasNext }`. Every stage runs
 * through Apollo Server as an operation of its own (validation,
 * authorization, error masking), over one context whose FetchReplay lets
 * the stages share the subgraphs' answers. A primary part without data (a
 * refused or failed operation) is the only result.
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
): AsyncGenerator<IncrementalResult> {
  const contextValue: GatewayContext = { ...context, replay: new FetchReplay() };
  const stage = async (document: DocumentNode): Promise<StageResult> => {
    const response = await apollo.executeOperation(
      { query: print(document), variables: params.variables ?? undefined, operationName: params.operationName ?? undefined },
      { contextValue },
    );
    if (response.body.kind !== 'single') throw new Error('A query stage answered in chunks');
    const { data, errors } = response.body.singleResult;
    return { ...(errors ? { errors } : {}), data: data ?? null };
  };
  const primary = await stage(operation.primaryDocument());
  if (!primary.data) {
    yield { ...primary, hasNext: false };
    return;
  }
  yield* deliverIncrementally(operation, primary, stage);
}
