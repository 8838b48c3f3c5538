import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createHandler, type Response } from 'graphql-sse';
import { readJsonBodyOrAnswer, sendJson } from '@commerce/service-kit';
import type { TransportOptions } from './transport-options';

const streamTokenHeader = 'x-graphql-event-stream-token';
const maxBodyBytes = 1_000_000;

/** Whether a request belongs to GraphQL over SSE (either of its modes) rather than to plain GraphQL over HTTP. */
export function isSseRequest(req: IncomingMessage): boolean {
  return (
    Boolean(req.headers.accept?.includes('text/event-stream')) ||
    req.headers[streamTokenHeader] !== undefined ||
    req.method === 'PUT' ||
    req.method === 'DELETE'
  );
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join('\n') : value);

/**
 * GraphQL over Server-Sent Events (the graphql-sse protocol, both the
 * distinct-connections and the single-connection mode) on the gateway's
 * /graphql. The token travels in the Authorization header of every request,
 * as for queries; a bad one gets a 401 before anything is streamed. The
 * request passes the same client admission as plain HTTP first, so an
 * operation may be sent by persisted id.
 */
export function createSseTransport(options: TransportOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { service, callers, formatError, admission } = options;
  // graphql-sse's types speak of ExecutionResult; the stream's results are already formatted for clients.
  const masked = (result: ExecutionResult) =>
    result.errors ? { ...result, errors: result.errors.map((error) => formatError(error) as unknown as GraphQLError) } : result;

  const handler = createHandler<IncomingMessage>({
    authenticate: async (req): Promise<Response | string> => {
      try {
        await callers.of(req.raw);
      } catch (error) {
        const body = JSON.stringify({ errors: [formatError(error as GraphQLError)] });
        return [body, { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json; charset=utf-8' } }];
      }
      // As the library's default: the single-connection mode's stream token, or a fresh one for a distinct connection.
      const header = req.headers.get(streamTokenHeader);
      return header ?? new URL(req.url, 'http://localhost/').searchParams.get('token') ?? randomUUID();
    },
    onSubscribe: async (req, params) => {
      const subscribed = await service.subscribe(params, await callers.of(req.raw));
      // graphql-sse recognises a result by its `data` key, so the refusal carries `data: null`; onNext masks it.
      if ('errors' in subscribed) return masked({ data: null, errors: [...subscribed.errors] });
      return subscribed.stream as unknown as AsyncIterable<ExecutionResult>;
    },
  });

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body: unknown = null;
    if (req.method === 'POST') {
      const read = await readJsonBodyOrAnswer(req, res, maxBodyBytes);
      if (!read) return;
      body = read.body;
      // graphql-sse would refuse it too, but without a code.
      if ((body === undefined || typeof body === 'string') && req.headers['content-type']?.includes('json')) {
        return sendJson(res, 400, { errors: [{ message: 'Unparsable JSON body', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    if (req.method === 'GET' || req.method === 'POST') {
      const admitted = await admission.prepareHttp({ method: req.method, headers: req.headers, search: url.search, body });
      if ('status' in admitted) return sendJson(res, admitted.status, admitted.body);
      url.search = admitted.search;
      body = admitted.body;
    }
    const [responseBody, init] = await handler({
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      headers: { get: (key) => single(req.headers[key]) },
      body: body as string | Record<PropertyKey, unknown> | null,
      raw: req,
      context: undefined,
    });
    res.writeHead(init.status, init.statusText, init.headers);
    if (!responseBody || typeof responseBody === 'string') {
      res.end(responseBody);
      return;
    }
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
