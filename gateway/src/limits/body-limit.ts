import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@commerce/service-kit';

/** The unread body must not be taken for the next request on this connection. */
const refuseUnread = (code: ErrorCode, message: string, status: number, limit: number) =>
  new GraphQLError(message, { extensions: { code, limit, http: { status, headers: { connection: 'close' } } } });

/**
 * Judges a body by its Content-Length, before a byte of it is read. A body
 * streamed without one (chunked) could only be measured by reading it, so it
 * is refused: GraphQL clients send the length of the JSON they post.
 */
export function checkBodyLength(headers: IncomingHttpHeaders, limit: number): GraphQLError | null {
  const length = headers['content-length'];
  if (length === undefined) {
    if (headers['transfer-encoding'] === undefined) return null;
    return refuseUnread(ErrorCode.LengthRequired, 'Send the request body with a Content-Length', 411, limit);
  }
  if (Number(length) > limit) return refuseUnread(ErrorCode.BodyTooLarge, `The request body is ${length} bytes; the limit is ${limit}`, 413, limit);
  return null;
}
