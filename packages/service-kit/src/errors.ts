import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * Every error code a client can see. Expected business failures have their own
 * code so clients can branch on them; everything else is INTERNAL_SERVER_ERROR.
 */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  EmailTaken = 'EMAIL_TAKEN',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  ProductUnavailable = 'PRODUCT_UNAVAILABLE',
  InvalidTransition = 'INVALID_STATUS_TRANSITION',
  /** A subgraph could not be reached; the fields it owns are null, the rest of the response stands. */
  SubgraphUnavailable = 'SUBGRAPH_UNAVAILABLE',
  InternalServerError = 'INTERNAL_SERVER_ERROR',
}

export function domainError(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/** Rejects bad arguments before anything is written; `field` names the argument path. */
export function badInput(field: string, message: string): GraphQLError {
  return domainError(ErrorCode.BadUserInput, message, { field });
}

export function notFound(what: string, id: string): GraphQLError {
  return domainError(ErrorCode.NotFound, `${what} ${id} was not found`, { id });
}

export function unauthenticated(): GraphQLError {
  return domainError(ErrorCode.Unauthenticated, 'You must be signed in');
}

export function forbidden(message = 'You are not allowed to do this'): GraphQLError {
  return domainError(ErrorCode.Forbidden, message);
}

// INTERNAL_SERVER_ERROR is left out on purpose: whatever raised it, its message is not for clients.
const knownCodes = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.InternalServerError),
  // Apollo Server's own validation and parsing codes are safe to show as they are.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError` hook: errors raised on purpose pass through, anything
 * else (a driver error, a bug) becomes a bare INTERNAL_SERVER_ERROR so no SQL
 * or stack trace reaches a client.
 */
export function maskUnexpectedErrors(
  formatted: GraphQLFormattedError,
  onUnexpected: (error: unknown) => void = () => undefined,
  original?: unknown,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && knownCodes.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  onUnexpected(original ?? formatted);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.InternalServerError },
  };
}
