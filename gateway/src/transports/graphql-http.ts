import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { deferredOperationOf, type OperationParams } from '../defer/deferred-fragments';
import { deliverIncrementally, type StageResult } from '../defer/incremental';
import { isRequestErrorResponse, refusal, RefusalCode } from '../errors/registry';
import type { GraphQLHttpRequest } from '../operations/admission';
import { operationTypeOf } from '../operations/operation-type';
import type { GatewayContext } from '../upstream/context';
import { FetchReplay } from '../upstream/fetch-replay';
import type { HttpTransport } from './http-transport';
import { acceptsIncremental, sendIncremental } from './multipart-incremental';
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
 *
 * A query with `@defer` (which Apollo Server cannot run over a gateway) is
 * delivered incrementally when the client accepts `multipart/mixed`: each of
 * its stages (defer/) is an ordinary request through Apollo, so validation,
 * authorization and error masking apply to every part. A client that does
 * not accept it, and any mutation, gets the whole result at once.
 */
export function createGraphQLHttpTransport(
  apollo: ApolloServer<GatewayContext>,
  context: (req: IncomingMessage) => Promise<GatewayContext>,
  schema: () => GraphQLSchema,
): HttpTransport {
  const run = (req: IncomingMessage, request: GraphQLHttpRequest, contextValue = () => context(req)) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    return apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method, headers, search: request.search, body: request.body },
      context: contextValue,
    });
  };

  return async (req: IncomingMessage, res: ServerResponse, request) => {
    const params = paramsOf(request);
    // Apollo answers a GET subscription only that GET runs queries; the client should hear what does run it.
    if (request.method === 'GET' && params && operationTypeOf(params.query, params.operationName)?.type === 'subscription') {
      return sendRefusal(res, refusal(RefusalCode.SubscriptionTransportRequired));
    }
    const deferred = params && deferredOperationOf(params);
    if (!deferred) return answer(res, await run(req, request));
    const takesParts = acceptsIncremental(request.headers.accept);
    // What runs whole (a mutation, say) answers plain JSON, even to a client that also took multipart.
    if (!takesParts || !deferred.deliversIncrementally(schema())) {
      return answer(res, await run(req, withDocument(request, deferred.inlinedDocument(), takesParts ? jsonAccept : undefined)));
    }

    // One context, and with it one FetchReplay, for every stage: the stages share the subgraphs' answers.
    const replay = new FetchReplay();
    let shared: Promise<GatewayContext> | undefined;
    const contextValue = () => (shared ??= context(req).then((c) => ({ ...c, replay })));
    const stage = async (document: DocumentNode): Promise<StageResult> => resultOf(await run(req, withDocument(request, document, jsonAccept), contextValue));
    const primary = await run(req, withDocument(request, deferred.primaryDocument(), jsonAccept), contextValue);
    const first = primary.status === undefined || primary.status === 200 ? resultOf(primary) : null;
    // Refused or failed whole: answered as Apollo answers it, in one piece.
    if (!first?.data) return answer(res, primary);
    await sendIncremental(res, primary.headers, deliverIncrementally(deferred, first, stage));
  };
}

async function answer(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = specStatus(response);
  if (response.body.kind === 'complete') {
    // Encoded once: Node would otherwise measure the string for Content-Length, then encode it.
    const body = Buffer.from(response.body.string);
    res.setHeader('content-length', body.length);
    res.end(body);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A stage's answer from Apollo: always a complete JSON body for a query. */
function resultOf(response: HTTPGraphQLResponse): StageResult {
  if (response.body.kind !== 'complete') throw new Error('A query stage answered in chunks');
  return JSON.parse(response.body.string) as StageResult;
}

/** The operation of an admitted GET or POST, or null when it carries none Apollo would not refuse anyway. */
function paramsOf(request: GraphQLHttpRequest): OperationParams | null {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    const query = search.get('query');
    if (query === null) return null;
    let variables: unknown = null;
    try {
      variables = JSON.parse(search.get('variables') ?? 'null');
    } catch {
      return null;
    }
    return { query, variables: isRecord(variables) ? variables : null, operationName: search.get('operationName') };
  }
  if (!isRecord(request.body) || typeof request.body.query !== 'string') return null;
  const { query, variables, operationName } = request.body;
  return { query, variables: isRecord(variables) ? variables : null, operationName: typeof operationName === 'string' ? operationName : null };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a stage asks of Apollo: one JSON result, with the status codes of the GraphQL-over-HTTP media type. */
const jsonAccept = 'application/graphql-response+json, application/json;q=0.9';

/** The same request with another document (a stage of it, or all of it inlined), and `accept` if given. */
function withDocument(request: GraphQLHttpRequest, document: DocumentNode, accept?: string): GraphQLHttpRequest {
  const query = print(document);
  const headers = accept ? { ...request.headers, accept } : request.headers;
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    search.set('query', query);
    return { ...request, headers, search: `?${search}` };
  }
  return { ...request, headers, body: { ...(request.body as Record<string, unknown>), query } };
}
