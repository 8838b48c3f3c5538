import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Which web pages may call /graphql from a browser: any (`*`), exactly the
 * listed origins (`https://shop.example`), or none (an empty list).
 */
export type CorsOrigins = '*' | readonly string[];

/** Production serves no other origin unless CORS_ORIGINS says; development and tests serve the explorer and local frontends. */
export const defaultCorsOrigins = (production: boolean): CorsOrigins => (production ? [] : '*');

// PUT and DELETE are graphql-sse's single-connection mode (reserve a stream, stop an operation).
const allowedMethods = 'GET, POST, PUT, DELETE, OPTIONS';

/**
 * Every request header a client of this gateway sends that a browser does
 * not allow cross-origin unasked: the token, the client's name and version
 * (operations/credentials.ts), Apollo Client's CSRF-prevention and operation
 * name headers, a partner's API key, and graphql-sse's stream token.
 */
const allowedHeaders = [
  'content-type',
  'authorization',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-api-key',
  'x-graphql-event-stream-token',
].join(', ');

/**
 * May a WebSocket upgrade sent with this Origin proceed? Browsers send no
 * preflight for WebSockets and attach cookies regardless of CORS, so the
 * gateway checks the Origin itself (cross-site WebSocket hijacking). An
 * upgrade without an Origin comes from a non-browser client and proceeds.
 */
export function originAllowedForUpgrade(origins: CorsOrigins, origin: string | undefined): boolean {
  if (origin === undefined || origins === '*') return true;
  return origins.includes(origin);
}

/** A 429's Retry-After is not among the response headers a page may read unless named. */
const exposedHeaders = 'retry-after';

/** Chromium's ceiling: a longer time is cut to it anyway. */
const preflightMaxAgeSeconds = 7200;

/**
 * Sets the CORS headers on a /graphql response before anything else writes
 * it, so every transport's answer (and every refusal: 413, 429…) is readable
 * by an allowed page; answers a preflight (OPTIONS) itself, with 204, and
 * returns true when it did.
 *
 * A listed origin is echoed back, with credentials allowed; with `*` the
 * answer is the literal `*`, which browsers never pair with credentials. An
 * origin that is not allowed gets no CORS headers, so its browser withholds
 * the response; its preflight still gets the 204, without them: the browser
 * fails the preflight for want of the headers either way, and a 403 would
 * tell the page nothing it could read.
 */
export function createCors(origins: CorsOrigins): (req: IncomingMessage, res: ServerResponse) => boolean {
  const listed = origins === '*' ? null : new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    let allowed = false;
    if (listed === null) {
      res.setHeader('access-control-allow-origin', '*');
      allowed = true;
    } else if (listed.size > 0) {
      // The headers depend on the Origin: a shared cache must not hand one origin's answer to another.
      res.setHeader('vary', 'Origin');
      if (origin !== undefined && listed.has(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-credentials', 'true');
        allowed = true;
      }
    }
    if (allowed) res.setHeader('access-control-expose-headers', exposedHeaders);
    if (req.method !== 'OPTIONS') return false;
    if (allowed) {
      res.setHeader('access-control-allow-methods', allowedMethods);
      res.setHeader('access-control-allow-headers', allowedHeaders);
      res.setHeader('access-control-max-age', String(preflightMaxAgeSeconds));
    }
    res.writeHead(204);
    res.end();
    return true;
  };
}
