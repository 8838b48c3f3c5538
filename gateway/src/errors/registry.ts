import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@commerce/service-kit';
import { WebSocketCloseCode } from './close-codes';

/**
 * Every code the gateway refuses a request with: the shared codes of the kit
 * and the ones Apollo Server itself answers (parse and validation failures,
 * APQ), which the gateway's own transports answer the same way.
 */
export const RefusalCode = {
  ...ErrorCode,
  BadRequest: ApolloServerErrorCode.BAD_REQUEST,
  ParseFailed: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ValidationFailed: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  PersistedQueryNotFound: ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  PersistedQueryNotSupported: ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  OperationResolutionFailure: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** How one code is answered on each transport. */
export interface RefusalSpec {
  /** The HTTP status of a response refused with it (HTTP, SSE, multipart). */
  status: number;
  /** The close code when it ends a WebSocket rather than one operation on it. */
  close: WebSocketCloseCode;
  /** The message when the refusing site has nothing more specific to say. */
  message: string;
  /**
   * An error in a well-formed GraphQL request (its document, its variables,
   * its operation): GraphQL over HTTP wants it answered 200 under the legacy
   * `application/json` media type, and with `status` under
   * `application/graphql-response+json`.
   */
  requestError?: true;
}

const spec = (status: number, close: WebSocketCloseCode, message: string): RefusalSpec => ({ status, close, message });
const badRequest = (message: string) => spec(400, WebSocketCloseCode.BadRequest, message);
const requestError = (message: string): RefusalSpec => ({ ...badRequest(message), requestError: true });

/** One entry per code: what a client sees is decided here, not at each refusing site. */
export const refusals: Readonly<Record<RefusalCode, RefusalSpec>> = {
  [RefusalCode.BadRequest]: badRequest('The request is malformed'),
  [RefusalCode.ParseFailed]: requestError('The document does not parse'),
  [RefusalCode.ValidationFailed]: requestError('The document is not valid against the schema'),
  [RefusalCode.OperationResolutionFailure]: requestError('No operation in the document can be run'),
  [RefusalCode.BadUserInput]: requestError('An argument is not valid'),
  [RefusalCode.SubscriptionTransportRequired]: requestError(
    'Subscriptions stream their results: open them on this same URL over graphql-ws (WebSocket, subprotocol graphql-transport-ws), ' +
      'Server-Sent Events (Accept: text/event-stream) or multipart HTTP (Accept: multipart/mixed;subscriptionSpec="1.0")',
  ),
  [RefusalCode.DeferInSubscription]: badRequest('@defer is not supported in subscriptions: each event is sent whole; remove the directive'),
  [RefusalCode.BatchNotSupported]: badRequest('Send one operation per request; batches are not accepted'),
  // Apollo's APQ protocol: the client answers this one by sending the document with its hash.
  [RefusalCode.PersistedQueryNotFound]: spec(200, WebSocketCloseCode.BadRequest, 'PersistedQueryNotFound'),
  [RefusalCode.MethodNotAllowed]: spec(405, WebSocketCloseCode.BadRequest, 'This method cannot carry this request'),
  [RefusalCode.NotAcceptable]: spec(406, WebSocketCloseCode.BadRequest, 'No media type the request accepts can answer it'),
  [RefusalCode.UnsupportedMediaType]: spec(415, WebSocketCloseCode.BadRequest, 'Send the body as application/json'),
  [RefusalCode.StreamNotFound]: spec(404, WebSocketCloseCode.BadRequest, 'No event stream is reserved under this token'),
  [RefusalCode.StreamConflict]: spec(409, WebSocketCloseCode.BadRequest, 'The event stream for this token is already reserved or open'),
  [RefusalCode.PersistedQueryNotSupported]: badRequest('Only version 1 of persistedQuery, with a sha256Hash, is supported'),
  [RefusalCode.PersistedDocumentNotFound]: badRequest('No operation with this id is listed for the client'),
  [RefusalCode.PersistedDocumentRequired]: badRequest('This client may only send the ids of its listed operations'),
  [RefusalCode.PersistedQueryHashMismatch]: badRequest('The sha256 hash does not match the document sent'),
  [RefusalCode.OperationNotInSafelist]: spec(403, WebSocketCloseCode.Forbidden, "This operation is not in the client's list"),
  [RefusalCode.MaxDepthExceeded]: badRequest('The operation is nested too deep'),
  [RefusalCode.MaxAliasesExceeded]: badRequest('The document has too many aliases'),
  [RefusalCode.MaxRootFieldsExceeded]: badRequest('The operation selects too many root fields'),
  [RefusalCode.MaxTokensExceeded]: badRequest('The document has too many tokens'),
  [RefusalCode.MaxDirectivesExceeded]: badRequest('The document has too many directives'),
  [RefusalCode.CostLimitExceeded]: badRequest("The operation's estimated cost is over the limit"),
  [RefusalCode.BodyTooLarge]: spec(413, WebSocketCloseCode.MessageTooBig, 'The request body is over the limit'),
  [RefusalCode.LengthRequired]: spec(411, WebSocketCloseCode.BadRequest, 'Send the request body with a Content-Length'),
  [RefusalCode.RateLimited]: spec(429, WebSocketCloseCode.TryAgainLater, 'Too many requests'),
  [RefusalCode.TooManySignInAttempts]: spec(429, WebSocketCloseCode.TryAgainLater, 'Too many failed sign-ins; retry later'),
  [RefusalCode.InvalidApiKey]: spec(401, WebSocketCloseCode.Forbidden, 'The API key is unknown or has been rotated out'),
  [RefusalCode.Unauthenticated]: spec(401, WebSocketCloseCode.Forbidden, 'The access token is invalid, expired or signed out; sign in again'),
  [RefusalCode.Forbidden]: spec(403, WebSocketCloseCode.Forbidden, 'You are not allowed to do this'),
  [RefusalCode.InternalServerError]: spec(500, WebSocketCloseCode.InternalServerError, 'Internal server error'),
  // Codes of results rather than of refusals; listed so that every code has one answer.
  [RefusalCode.UnauthorizedFieldOrType]: spec(200, WebSocketCloseCode.Forbidden, 'Unauthorized field or type'),
  [RefusalCode.SubgraphUnavailable]: spec(200, WebSocketCloseCode.InternalServerError, 'A service is unavailable'),
  [RefusalCode.NotFound]: spec(200, WebSocketCloseCode.BadRequest, 'Not found'),
  [RefusalCode.EmailTaken]: spec(200, WebSocketCloseCode.BadRequest, 'The email address is taken'),
  [RefusalCode.InvalidCredentials]: spec(200, WebSocketCloseCode.Forbidden, 'The email or password is wrong'),
  [RefusalCode.InvalidRefreshToken]: spec(200, WebSocketCloseCode.Forbidden, 'Sign in again'),
  [RefusalCode.ProductUnavailable]: spec(200, WebSocketCloseCode.BadRequest, 'The product is unavailable'),
  [RefusalCode.InvalidTransition]: spec(200, WebSocketCloseCode.BadRequest, 'The order cannot make this move'),
  [RefusalCode.UntrustedCaller]: spec(401, WebSocketCloseCode.Forbidden, 'The caller is not trusted'),
};

const isRefusalCode = (code: unknown): code is RefusalCode => typeof code === 'string' && Object.hasOwn(refusals, code);

/** The entry for an error's code; a code the registry does not know is answered as an internal error. */
export function refusalSpecOf(error: GraphQLError): RefusalSpec {
  const code = error.extensions.code;
  return refusals[isRefusalCode(code) ? code : RefusalCode.InternalServerError];
}

/**
 * Whether a response of `errors` alone answers a request error (see
 * RefusalSpec.requestError), which under `application/json` is a 200.
 */
export function isRequestErrorResponse(errors: readonly { extensions?: { code?: unknown } }[]): boolean {
  return errors.length > 0 && errors.every((error) => isRefusalCode(error.extensions?.code) && refusals[error.extensions.code].requestError === true);
}

/**
 * A refusal with `code`: its HTTP status (and `headers`, such as
 * Retry-After) ride in `extensions.http`, where Apollo Server reads them for
 * errors thrown in its request pipeline; every client-facing formatter strips
 * them again.
 */
export function refusal(
  code: RefusalCode,
  message: string = refusals[code].message,
  details: Record<string, unknown> = {},
  headers?: Record<string, string>,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: refusals[code].status, ...(headers ? { headers } : {}) } } });
}
