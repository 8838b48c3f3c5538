import { GraphQLError } from 'graphql';
import { ErrorCode } from '@commerce/service-kit';
import type { RemovedPath } from './filter';

/** One error per removed selection, worded and coded as Apollo Router words and codes them. */
export function unauthorizedErrors(removed: readonly RemovedPath[], extensions: Record<string, unknown> = {}): GraphQLError[] {
  return removed.map(
    (path) => new GraphQLError('Unauthorized field or type', { path, extensions: { code: ErrorCode.UnauthorizedFieldOrType, ...extensions } }),
  );
}
