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
  /** A refresh token that is unknown, expired, already used or of a session that ended: sign in again. */
  InvalidRefreshToken = 'INVALID_REFRESH_TOKEN',
  ProductUnavailable = 'PRODUCT_UNAVAILABLE',
  InvalidTransition = 'INVALID_STATUS_TRANSITION',
  /** A subgraph could not be reached; the fields it owns are null, the rest of the response stands. */
  SubgraphUnavailable = 'SUBGRAPH_UNAVAILABLE',
  /** An API key that is unknown or rotated out, or a partner that sent none. */
  InvalidApiKey = 'INVALID_API_KEY',
  /** A persisted operation id that the client's list (or, where allowed, APQ) does not have. */
  PersistedDocumentNotFound = 'PERSISTED_DOCUMENT_NOT_FOUND',
  /** A REQUIRE_ID client sent a document instead of an id. */
  PersistedDocumentRequired = 'PERSISTED_DOCUMENT_REQUIRED',
  /** A document sent with a hash (APQ or documentId) that is not its SHA-256. */
  PersistedQueryHashMismatch = 'PERSISTED_QUERY_HASH_MISMATCH',
  /** A SAFELIST client sent a document that is not in its list. */
  OperationNotInSafelist = 'OPERATION_NOT_IN_SAFELIST',
  /** An operation over one of its client's limits (docs/limits.md); one code per limit. */
  MaxDepthExceeded = 'MAX_DEPTH_EXCEEDED',
  MaxAliasesExceeded = 'MAX_ALIASES_EXCEEDED',
  MaxRootFieldsExceeded = 'MAX_ROOT_FIELDS_EXCEEDED',
  MaxTokensExceeded = 'MAX_TOKENS_EXCEEDED',
  MaxDirectivesExceeded = 'MAX_DIRECTIVES_EXCEEDED',
  CostLimitExceeded = 'COST_LIMIT_EXCEEDED',
  /** A request body over the client's limit (HTTP 413). */
  BodyTooLarge = 'BODY_TOO_LARGE',
  /** A body sent without Content-Length, which the body limit needs (HTTP 411). */
  LengthRequired = 'LENGTH_REQUIRED',
  /** An array of operations in one request: the gateway runs one operation per request. */
  BatchNotSupported = 'BATCH_NOT_SUPPORTED',
  /** Over the client's or the user's requests per minute (HTTP 429, with Retry-After). */
  RateLimited = 'RATE_LIMITED',
  /** Sign-in refused before the password is checked, after too many failed ones for the account or address (HTTP 429, with Retry-After). */
  TooManySignInAttempts = 'TOO_MANY_SIGN_IN_ATTEMPTS',
  /** A request reached a subgraph with identity headers the gateway did not sign (or signed too long ago). */
  UntrustedCaller = 'UNTRUSTED_CALLER',
  /**
   * A field or type the caller may not see (@authenticated, @requiresScopes): the gateway left it
   * out of the operation, so its value is null and the rest of the response stands. Apollo Router's code.
   */
  UnauthorizedFieldOrType = 'UNAUTHORIZED_FIELD_OR_TYPE',
  /** A subscription sent as a plain request (JSON POST or GET): it streams, so it needs graphql-ws, SSE or multipart. */
  SubscriptionTransportRequired = 'SUBSCRIPTION_TRANSPORT_REQUIRED',
  /** What a streaming protocol (graphql-sse) refuses at the HTTP level, each with its own status (405, 406, 415, 404, 409). */
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  NotAcceptable = 'NOT_ACCEPTABLE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  StreamNotFound = 'STREAM_NOT_FOUND',
  StreamConflict = 'STREAM_CONFLICT',
  /** @defer in a subscription: each event is sent as one whole result, so nothing in it can be deferred. */
  DeferInSubscription = 'DEFER_IN_SUBSCRIPTION',
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
    // `http` is the status a refusal asks for; Apollo strips it from responses, and so must every transport.
    const { stacktrace: _stack, http: _http, ...extensions } = formatted.extensions ?? {};
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
