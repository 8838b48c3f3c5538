import type { ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { maskUnexpectedErrors, sendJson } from '@commerce/service-kit';
import { WebSocketCloseCode } from '../errors/close-codes';
import { refusal, RefusalCode, refusalSpecOf } from '../errors/registry';

/** What a transport caught, as a refusal: a GraphQL error as it is, anything else an internal error (its details withheld). */
export function asRefusal(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : refusal(RefusalCode.InternalServerError);
}

/** A refusal as an HTTP response: the registry's status, the headers the refusal asks for, the error as GraphQL sends it. */
export interface HttpRefusal {
  status: number;
  headers: Record<string, string>;
  body: { errors: GraphQLFormattedError[] };
}

/** The one mapping from a refusal to what every HTTP transport (plain, SSE, multipart) answers. */
export function httpRefusalOf(error: GraphQLError): HttpRefusal {
  return {
    status: refusalSpecOf(error).status,
    // Retry-After for a rate limit; Connection: close when the body was left unread.
    headers: (error.extensions.http as { headers?: Record<string, string> } | undefined)?.headers ?? {},
    body: { errors: [maskUnexpectedErrors(error.toJSON())] },
  };
}

export function sendRefusal(res: ServerResponse, error: GraphQLError): void {
  const { status, headers, body } = httpRefusalOf(error);
  sendJson(res, status, body, headers);
}

/** The code a WebSocket closes with when `error` ends the connection rather than one operation on it. */
export function closeCodeOf(error: GraphQLError): WebSocketCloseCode {
  return refusalSpecOf(error).close;
}

/** Ends a WebSocket for `error`: its close code, with the code's name as the reason (as graphql-ws words its own). */
export function closeSocket(socket: { close(code: number, reason: string): void }, error: GraphQLError): void {
  const code = closeCodeOf(error);
  socket.close(code, WebSocketCloseCode[code]);
}
