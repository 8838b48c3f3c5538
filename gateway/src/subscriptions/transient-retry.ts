import type { ExecutionResult, GraphQLError } from 'graphql';
import { ErrorCode } from '@commerce/service-kit';

/**
 * Pauses before each new attempt at a live resolution that failed only because
 * a subgraph could not be reached. A replica killed mid-request drops the
 * gateway's connection to it, and the next connection reaches a live one; a
 * subgraph restarting takes seconds. About 3.4 s in all: longer would hold up
 * every later message of the subscription behind this one.
 */
export const retryDelaysMs: readonly number[] = [100, 300, 1_000, 2_000];

/** Answers a gateway or proxy in front of a restarting subgraph gives; another attempt may reach a replica that is up. */
const unavailableStatuses = new Set([502, 503, 504]);

function unavailable(error: GraphQLError): boolean {
  if (error.extensions?.code === ErrorCode.SubgraphUnavailable) return true;
  const response = error.extensions?.response as { status?: unknown } | undefined;
  return typeof response?.status === 'number' && unavailableStatuses.has(response.status);
}

/**
 * Whether every error of `result` says a subgraph was out of reach, so that
 * the same read a moment later can succeed. A subscription's reads change
 * nothing, so they may be repeated; an error the subgraph answered (FORBIDDEN,
 * NOT_FOUND) is the answer and is not.
 */
export function failedTransiently(result: ExecutionResult): boolean {
  return !!result.errors?.length && result.errors.every(unavailable);
}

/**
 * Runs `read` until its result is not a transient failure or the delays are
 * spent; the last result is returned either way, errors and all.
 */
export async function retryTransient(read: () => Promise<ExecutionResult>, delaysMs: readonly number[] = retryDelaysMs): Promise<ExecutionResult> {
  let result = await read();
  for (const delay of delaysMs) {
    if (!failedTransiently(result)) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    result = await read();
  }
  return result;
}
