/**
 * GraphQL over HTTP to whichever gateway is up. A request that never reached
 * a gateway (connection refused: it is being restarted) goes to the other one;
 * anything else is returned as it is, with its outcome classified, since only
 * the caller knows whether trying again is safe.
 */
export type CallResult<T> =
  | { ok: true; data: T }
  /** A typed error (extensions.code): the request was answered, and nothing happened. */
  | { ok: false; kind: 'refused'; code: string; message: string; transport?: boolean }
  /** No answer, a broken answer or an untyped error: the operation may or may not have taken effect. */
  | { ok: false; kind: 'unknown'; code: string; message: string; transport?: boolean };

const typedCodes = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_STATUS_TRANSITION', 'UNAUTHENTICATED', 'EMAIL_TAKEN', 'PRODUCT_UNAVAILABLE', 'RATE_LIMITED', 'INVALID_CREDENTIALS', 'UNAUTHORIZED_FIELD_OR_TYPE', 'GRAPHQL_VALIDATION_FAILED']);

export class GatewayClient {
  private turn = 0;
  /** Outcomes by kind and code, for the report. */
  readonly outcomes = new Map<string, number>();

  constructor(
    readonly urls: string[],
    private readonly timeoutMs = 15_000,
  ) {
    this.avoidUntil = urls.map(() => 0);
  }

  /** Per gateway, until when to send it nothing: it failed at the transport level (killed; its port held by the cluster primary until a replacement listens). */
  private readonly avoidUntil: number[];

  async call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, token?: string): Promise<CallResult<T>> {
    const now = Date.now();
    const healthy = this.urls.map((_, i) => i).filter((i) => this.avoidUntil[i]! <= now);
    const order = healthy.length ? healthy : this.urls.map((_, i) => i);
    const first = this.turn++ % order.length;
    let result: CallResult<T> | null = null;
    for (let attempt = 0; attempt < order.length; attempt++) {
      const gateway = order[(first + attempt) % order.length]!;
      result = await this.once<T>(this.urls[gateway]!, query, variables, token);
      if (!result.ok && result.transport) this.avoidUntil[gateway] = Date.now() + 5_000;
      if (result.ok || result.code !== 'ECONNREFUSED') break;
    }
    const key = result!.ok ? 'ok' : `${result!.kind}:${result!.code}`;
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    return result!;
  }

  /** The data, or throws with the error: for set-up steps, which run before any chaos. */
  async must<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const result = await this.call<T>(query, variables, token);
    if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
    return result.data;
  }

  private async once<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<CallResult<T>> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const code = cause?.code ?? (error as Error).name;
      return { ok: false, kind: code === 'ECONNREFUSED' ? 'refused' : 'unknown', code, message: (error as Error).message, transport: true };
    }
    let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      return { ok: false, kind: 'unknown', code: `HTTP_${response.status}`, message: (error as Error).message };
    }
    const error = body.errors?.[0];
    if (!error && body.data) return { ok: true, data: body.data };
    const code = error?.extensions?.code ?? `HTTP_${response.status}`;
    return { ok: false, kind: typedCodes.has(code) ? 'refused' : 'unknown', code, message: error?.message ?? 'no data' };
  }
}
