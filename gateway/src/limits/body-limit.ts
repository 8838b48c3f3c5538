import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLError } from 'graphql';
import { refusal, RefusalCode } from '../errors/registry';

/** The unread body must not be taken for the next request on this connection. */
const refuseUnread = (code: RefusalCode, message: string, limit: number) => refusal(code, message, { limit }, { connection: 'close' });

/**
 * Judges a body by its Content-Length, before a byte of it is read. A body
 * streamed without one (chunked) could only be measured by reading it, so it
 * is refused: GraphQL clients send the length of the JSON they post.
 */
export function checkBodyLength(headers: IncomingHttpHeaders, limit: number): GraphQLError | null {
  const length = headers['content-length'];
  if (length === undefined) {
    if (headers['transfer-encoding'] === undefined) return null;
    return refuseUnread(RefusalCode.LengthRequired, 'Send the request body with a Content-Length', limit);
  }
  if (Number(length) > limit) return refuseUnread(RefusalCode.BodyTooLarge, `The request body is ${length} bytes; the limit is ${limit}`, limit);
  return null;
}

/**
 * The same limit for an operation that arrived whole in a message (a
 * graphql-ws subscribe), measured as its JSON: the socket stays open, since
 * nothing is left unread.
 */
export function checkMessageSize(bytes: number, limit: number): GraphQLError | null {
  return bytes > limit ? refusal(RefusalCode.BodyTooLarge, `The operation is ${bytes} bytes; the limit is ${limit}`, { limit }) : null;
}
