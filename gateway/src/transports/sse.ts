import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ExecutionResult, FormattedExecutionResult, GraphQLError } from 'graphql';
import { createHandler, type Response } from 'graphql-sse';
import { refusal, RefusalCode } from '../errors/registry';
import { isIncremental, type OperationResults } from '../operations/apollo-execution';
import { credentialsFromHeaders } from '../operations/credentials';
import { operationTypeOf } from '../operations/operation-type';
import type { HttpTransport } from './http-transport';
import { asRefusal, httpRefusalOf, sendRefusal } from './refusals';
import type { TransportOptions } from './transport-options';

const streamTokenHeader = 'x-graphql-event-stream-token';

/** Whether a request belongs to GraphQL over SSE (either of its modes) rather than to plain GraphQL over HTTP. */
export function isSseRequest(req: IncomingMessage): boolean {
  return (
    prefersEventStream(req.headers.accept ?? '') ||
    req.headers[streamTokenHeader] !== undefined ||
    req.method === 'PUT' ||
    req.method === 'DELETE'
  );
}

/** The code for each status graphql-sse refuses with on its own (without a GraphQL error's code). */
const protocolRefusals: Readonly<Record<number, RefusalCode>> = {
  400: RefusalCode.BadRequest,
  404: RefusalCode.StreamNotFound,
  405: RefusalCode.MethodNotAllowed,
  406: RefusalCode.NotAcceptable,
  409: RefusalCode.StreamConflict,
  415: RefusalCode.UnsupportedMediaType,
};

/**
 * graphql-sse's own refusal (an error status with an empty body, or errors
 * without a code) as one from the registry, keeping its message and headers
 * (`allow`); null when the answer is already a coded GraphQL response.
 */
function protocolRefusal(body: string | null | undefined, status: number, headers: Record<string, string> | undefined): GraphQLError | null {
  if (status < 400) return null;
  let message: string | undefined;
  try {
    const errors = body ? (JSON.parse(body) as { errors?: { message?: string; extensions?: { code?: unknown } }[] }).errors : undefined;
    if (errors?.length && errors.every((error) => typeof error.extensions?.code === 'string')) return null;
    message = errors?.[0]?.message;
  } catch {
    message = body || undefined;
  }
  const allow = headers?.allow;
  return refusal(protocolRefusals[status] ?? RefusalCode.BadRequest, message, {}, allow ? { allow } : undefined);
}

const jsonTypes = new Set(['application/json', 'application/graphql-response+json', 'application/graphql+json']);

/**
 * Whether `text/event-stream` comes before every JSON type in the Accept
 * list. urql accepts both for every operation, JSON first for queries and
 * mutations (which it wants answered as JSON) and the event stream first
 * for subscriptions; graphql-sse's client accepts the event stream alone.
 */
function prefersEventStream(accept: string): boolean {
  const types = accept.split(',').map((range) => range.split(';')[0]!.trim().toLowerCase());
  const stream = types.indexOf('text/event-stream');
  const json = types.findIndex((type) => jsonTypes.has(type));
  return stream !== -1 && (json === -1 || stream < json);
}

/**
 * graphql-sse takes a request for a distinct-connection stream only when its
 * Accept is exactly `text/event-stream`; urql's is `text/event-stream,
 * multipart/mixed`. Preferring the stream is what the protocol means.
 */
const eventStreamAccept = (req: IncomingMessage) => {
  const accept = single(req.headers.accept);
  return accept !== undefined && prefersEventStream(accept) ? 'text/event-stream' : accept;
};

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join('\n') : value);

/** A refusal as graphql-sse answers it instead of a stream: the registry's status, headers and body. */
function refusalResponse(error: GraphQLError): Response {
  const { status, headers, body } = httpRefusalOf(error);
  return [JSON.stringify(body), { status, statusText: STATUS_CODES[status] ?? '', headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } }];
}

/**
 * A query's or mutation's results as graphql-sse streams them: each a `next`
 * event, then `complete`. graphql-sse recognises a lone result by its `data`
 * key; one that failed before it ran has none (the spec leaves it out), so it
 * goes as a stream of one rather than gaining a `data: null` it never had.
 */
function streamable(results: OperationResults): ExecutionResult | AsyncIterable<ExecutionResult> {
  if (isIncremental(results)) return results as unknown as AsyncIterable<ExecutionResult>;
  if ('data' in results) return results as ExecutionResult;
  return (async function* (): AsyncGenerator<FormattedExecutionResult> {
    yield results;
  })() as unknown as AsyncIterable<ExecutionResult>;
}

/**
 * GraphQL over Server-Sent Events (the graphql-sse protocol, both the
 * distinct-connections and the single-connection mode) on the gateway's
 * /graphql. The token travels in the Authorization header of every request,
 * as for queries; a bad one gets a 401 before anything is streamed. The
 * front door has admitted the request as it admits plain HTTP, so an
 * operation may be sent by persisted id. Every operation type travels: a
 * query or mutation runs through the same Apollo pipeline as over HTTP (and
 * graphql-ws) and answers one `next` event, or a deferred query's successive
 * ones, then `complete`.
 */
export function createSseTransport(options: TransportOptions): HttpTransport {
  const { service, execute, callers, formatError, clientAddress } = options;
  // graphql-sse's types speak of ExecutionResult; the stream's results are already formatted for clients.
  const masked = (result: ExecutionResult) =>
    result.errors ? { ...result, errors: result.errors.map((error) => formatError(error) as unknown as GraphQLError) } : result;

  const handler = createHandler<IncomingMessage>({
    authenticate: async (req): Promise<Response | string> => {
      try {
        await callers.of(req.raw);
      } catch (error) {
        return refusalResponse(asRefusal(error));
      }
      // As the library's default: the single-connection mode's stream token, or a fresh one for a distinct connection.
      const header = req.headers.get(streamTokenHeader);
      return header ?? new URL(req.url, 'http://localhost/').searchParams.get('token') ?? randomUUID();
    },
    onSubscribe: async (req, params) => {
      const token = await callers.of(req.raw);
      const operation = operationTypeOf(params.query, params.operationName);
      if (operation && operation.type !== 'subscription') {
        // A GET must not change anything (GraphQL over HTTP): refused as a mutation GET over plain HTTP is.
        if (operation.type === 'mutation' && req.method === 'GET') {
          return refusalResponse(refusal(RefusalCode.MethodNotAllowed, 'Send mutations with POST', {}, { allow: 'POST' }));
        }
        const results = await execute(
          { query: params.query, variables: params.variables, operationName: params.operationName, extensions: params.extensions },
          { identity: token?.identity ?? null, credentials: credentialsFromHeaders(req.raw.headers), address: clientAddress(req.raw) },
        );
        return streamable(results);
      }
      // A subscription, or a document without an operation to run (service.subscribe refuses it with its code).
      const subscribed = await service.subscribe(params, token);
      // graphql-sse recognises a result by its `data` key, so the refusal carries `data: null`; onNext masks it.
      if ('errors' in subscribed) return masked({ data: null, errors: [...subscribed.errors] });
      return subscribed.stream as unknown as AsyncIterable<ExecutionResult>;
    },
  });

  return async (req: IncomingMessage, res: ServerResponse, request) => {
    // graphql-sse would refuse it too, but without a code.
    if (request.method === 'POST' && (request.body === undefined || typeof request.body === 'string') && req.headers['content-type']?.includes('json')) {
      return sendRefusal(res, refusal(RefusalCode.BadRequest, 'Unparsable JSON body'));
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    url.search = request.search;
    const [responseBody, init] = await handler({
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      headers: { get: (key) => (key.toLowerCase() === 'accept' ? eventStreamAccept(req) : single(req.headers[key])) },
      body: (request.body ?? null) as string | Record<PropertyKey, unknown> | null,
      raw: req,
      context: undefined,
    });
    if (!responseBody || typeof responseBody === 'string') {
      const refused = protocolRefusal(responseBody, init.status, init.headers as Record<string, string> | undefined);
      if (refused) return sendRefusal(res, refused);
      res.writeHead(init.status, init.statusText, init.headers);
      res.end(responseBody);
      return;
    }
    res.writeHead(init.status, init.statusText, init.headers);
    // The client going away ends the event stream, which completes its operations.
    const stop = () => void responseBody.return(undefined);
    res.once('close', stop);
    for await (const chunk of responseBody) {
      if (res.destroyed) break;
      res.write(chunk);
    }
    res.off('close', stop);
    res.end();
  };
}
