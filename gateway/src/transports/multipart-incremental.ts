import type { ServerResponse } from 'node:http';
import type { IncrementalResult } from '../defer/incremental';

/**
 * Whether the client takes incremental delivery: `multipart/mixed` in its
 * Accept header, with no `deferSpec` or the one we speak. Apollo Client
 * sends `multipart/mixed;deferSpec=20220824`, urql `multipart/mixed`.
 */
export function acceptsIncremental(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => {
    const [type, ...parameters] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'multipart/mixed') return false;
    const spec = parameters.find((p) => p.startsWith('deferspec='));
    return !spec || spec === 'deferspec=20220824';
  });
}

/** The boundary Apollo Router uses; the parts are JSON, which never starts a line with `---`. */
const boundary = '-';

/**
 * Writes an incremental response as `multipart/mixed; deferSpec=20220824`:
 * each result one JSON part, flushed as it comes, the closing delimiter
 * after the last. A client gone stops the writing (and the iteration).
 */
export async function sendIncremental(res: ServerResponse, headers: Iterable<[string, string]>, results: AsyncIterable<IncrementalResult>): Promise<void> {
  for (const [key, value] of headers) if (key !== 'content-type' && key !== 'content-length') res.setHeader(key, value);
  res.writeHead(200, { 'content-type': `multipart/mixed; boundary="${boundary}"; deferSpec=20220824`, 'cache-control': 'no-cache' });
  res.write(`\r\n--${boundary}`);
  for await (const result of results) {
    if (res.destroyed) return;
    res.write(`\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(result)}\r\n--${boundary}`);
  }
  res.end('--\r\n');
}
