import { request } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * Requests as a hostile client sends them: bytes and headers exactly as
 * given (fetch would add a content type and always a length), and answers
 * read whatever they hold.
 */

/** What came back: the HTTP status and the body, parsed when it is JSON. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface HttpCall {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string or Buffer is sent byte for byte; anything else as JSON, with `content-type: application/json`. */
  body?: unknown;
  /** Streams the body without a Content-Length (chunked). */
  chunked?: boolean;
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function httpCall(call: HttpCall): Promise<Answer> {
  const raw = typeof call.body === 'string' || Buffer.isBuffer(call.body);
  const body = call.body === undefined ? undefined : raw ? Buffer.from(call.body as string | Buffer) : Buffer.from(JSON.stringify(call.body));
  const headers: Record<string, string> = { ...(raw || body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers };
  if (body && !call.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    // A connection of its own: a refusal may close it (Connection: close) with the body unread.
    const req = request(call.url, { method: call.method ?? 'POST', headers, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parsed(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`No answer from ${call.url} within 30 s`)));
    // The server may answer (413, 411) and close before the whole body is written; the answer is what counts.
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(error)));
    if (body && call.chunked) {
      // Two writes, so node streams them chunked rather than buffering one.
      req.write(body.subarray(0, Math.floor(body.length / 2)));
      req.end(body.subarray(Math.floor(body.length / 2)));
    } else req.end(body);
  });
}

/** Every `extensions.code` in a GraphQL response body, in order (none for a body that is not one). */
export function errorCodes(body: unknown): unknown[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors.map((error) => (error as { extensions?: { code?: unknown } } | null)?.extensions?.code) : [];
}

export interface Subscribe {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  token?: string;
}

/**
 * Subscribes over graphql-ws and answers with what the first message of the
 * operation held: its result, or the errors it was refused with. The status
 * is 101 once the socket was upgraded, which it is before any refusal.
 */
export function wsSubscribe({ url, query, variables, operationName, token }: Subscribe): Promise<Answer> {
  let status = 0;
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    on: { opened: () => (status = 101) },
  });
  const answered = new Promise<Answer>((resolve, reject) => {
    const unsubscribe = client.subscribe(
      { query, variables, operationName },
      {
        next: (result) => {
          resolve({ status, body: result });
          unsubscribe();
        },
        // A refusal arrives as the protocol's `error` message: the GraphQL errors themselves.
        error: (error) => (Array.isArray(error) ? resolve({ status, body: { errors: error } }) : reject(error)),
        complete: () => resolve({ status, body: {} }),
      },
    );
  });
  return answered.finally(() => client.dispose());
}

/**
 * Subscribes over GraphQL over SSE (a distinct connection) and answers with
 * the HTTP status and the first `next` event's payload, or the body when
 * the request was refused before a stream opened.
 */
export async function sseSubscribe({ url, query, variables, operationName, token }: Subscribe): Promise<Answer> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables, operationName }),
    signal: abort.signal,
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) {
    return { status: response.status, body: parsed(await response.text()) };
  }
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
        const event = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const data = event.split('\n').find((line) => line.startsWith('data:'));
        if (event.startsWith('event: next') && data) return { status: response.status, body: parsed(data.slice('data:'.length).trim()) };
        if (event.startsWith('event: complete')) return { status: response.status, body: {} };
      }
    }
    return { status: response.status, body: {} };
  } finally {
    abort.abort();
  }
}
