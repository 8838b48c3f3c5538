import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { isRequestErrorResponse, refusal, RefusalCode } from '../errors/registry';
import { operationTypeOf } from '../operations/operation-type';
import type { HttpTransport } from './http-transport';
import { sendRefusal } from './refusals';

/** GraphQL over HTTP's legacy media type, which Apollo answers when the client does not prefer application/graphql-response+json. */
const legacyJson = 'application/json';

/**
 * The status GraphQL over HTTP asks for: under `application/json` a request
 * error of a well-formed request (a document that does not parse or
 * validate, variables that do not coerce, a subscription sent here) is a 200
 * with `errors`, since a legacy client reads the body whatever the status;
 * Apollo answers 400 under every media type. Other refusals keep theirs.
 */
function specStatus(response: HTTPGraphQLResponse): number {
  const status = response.status ?? 200;
  const mediaType = response.headers.get('content-type')?.split(';', 1)[0]?.trim();
  if (status < 400 || status >= 500 || mediaType !== legacyJson || response.body.kind !== 'complete') return status;
  try {
    const body = JSON.parse(response.body.string) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
    return body.data === undefined && body.errors && isRequestErrorResponse(body.errors) ? 200 : status;
  } catch {
    return status;
  }
}

/**
 * GraphQL over HTTP (queries and mutations, POST and GET) through Apollo
 * Server, which plans and executes them over the subgraphs. The request
 * reaches it admitted: its body read and any persisted id resolved.
 */
export function createGraphQLHttpTransport<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: (req: IncomingMessage) => Promise<TContext>,
): HttpTransport {
  return async (req: IncomingMessage, res: ServerResponse, request) => {
    // Apollo answers a GET subscription only that GET runs queries; the client should hear what does run it.
    if (request.method === 'GET') {
      const search = new URLSearchParams(request.search);
      const query = search.get('query');
      if (query && operationTypeOf(query, search.get('operationName'))?.type === 'subscription') {
        return sendRefusal(res, refusal(RefusalCode.SubscriptionTransportRequired));
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method, headers, search: request.search, body: request.body },
      context: () => context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = specStatus(response);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
