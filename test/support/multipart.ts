/**
 * Apollo's multipart HTTP subscription protocol, read as Apollo Client reads
 * it: POST with this Accept header, then JSON parts between `--graphql`
 * boundaries, each `{ payload }` or `{}` (a heartbeat).
 */
export const multipartSubscriptionAccept = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

const boundary = '\r\n--graphql';

/** The body of each complete part, in order, until the response ends. */
export async function* multipartParts(response: Response): AsyncGenerator<Record<string, unknown>> {
  if (!response.body) throw new Error('The multipart response has no body');
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    for (let end = pending.indexOf(boundary); end !== -1; end = pending.indexOf(boundary)) {
      const part = pending.slice(0, end);
      pending = pending.slice(end + boundary.length);
      // Headers, a blank line, then the JSON; the preamble before the first boundary has none.
      const bodyStart = part.indexOf('\r\n\r\n');
      if (bodyStart !== -1) yield JSON.parse(part.slice(bodyStart + 4)) as Record<string, unknown>;
    }
  }
}
