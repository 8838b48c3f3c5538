/**
 * Reads a `multipart/mixed` response part by part as it arrives, with the
 * boundary its content type names, yielding each JSON part parsed.
 */
export async function* multipartParts(response: Response): AsyncGenerator<Record<string, unknown>> {
  const boundary = /boundary="?([^";]+)"?/.exec(response.headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error(`Not a multipart response: ${response.headers.get('content-type')}`);
  const delimiter = `\r\n--${boundary}`;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf(delimiter); end !== -1; end = buffer.indexOf(delimiter)) {
      const part = buffer.slice(0, end);
      buffer = buffer.slice(end + delimiter.length);
      const body = part.split('\r\n\r\n')[1];
      if (body) yield JSON.parse(body) as Record<string, unknown>;
    }
  }
}
