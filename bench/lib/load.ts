import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Requests sent, answered or not: a run's end abandons those in flight, which the gateway still serves. */
  sent: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses whose body was not exactly the expected data. */
  incorrect: number;
}

export interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  verify: (body: string) => boolean;
}

/** One autocannon run of POST /graphql with the same operation, every response checked. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 30,
    verifyBody: (body) => options.verify(typeof body === 'string' ? body : String(body ?? '')),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    sent: (result.requests as { sent?: number }).sent ?? result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    incorrect: result.mismatches,
  };
}
