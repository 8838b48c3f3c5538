import type { IncomingMessage } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ErrorCode, maskUnexpectedErrors, type GraphQLHttpRefusal, type GraphQLHttpRequest, noteClient } from '@commerce/service-kit';
import { checkBodyLength } from '../limits/body-limit';
import { checkDocument } from '../limits/document-limits';
import type { RateLimits } from '../limits/rate-limits';
import type { ClientCredentials, ClientRegistry } from './clients';
import { credentialsFromHeaders } from './credentials';
import type { OperationGate, OperationParams } from './operation-gate';

export type Admitted<T> = { params: T } | { refused: GraphQLError };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The refusal's HTTP status, as the gate set it on the error. */
export const statusOf = (error: GraphQLError): number => (error.extensions.http as { status?: number } | undefined)?.status ?? 400;

/** A refusal over HTTP, with the headers it needs (Retry-After, Connection: close). */
export interface HttpRefusal extends GraphQLHttpRefusal {
  headers: Record<string, string>;
}

const httpRefusal = (error: GraphQLError): HttpRefusal => ({
  status: statusOf(error),
  headers: (error.extensions.http as { headers?: Record<string, string> } | undefined)?.headers ?? {},
  body: { errors: [maskUnexpectedErrors(error.toJSON())] },
});

/** What the operation limits need besides the client: the schema served now, and the rate counters if any. */
export interface AdmissionLimits {
  schema: () => GraphQLSchema;
  rates?: RateLimits;
}

/** The user a request is counted against besides its client (null: not signed in). */
export interface Caller {
  userId: string | null;
}

/** An operation's params as any transport carries them; `variables` size lists for the cost estimate. */
type AdmissionParams = OperationParams & { variables?: unknown };

const jsonParam = (value: string | null): unknown => {
  try {
    return value === null ? undefined : JSON.parse(value);
  } catch {
    return undefined;
  }
};

/** A GET without an operation is the explorer's page or an SSE stream opening, which nothing counts. */
const carriesOperation = (req: IncomingMessage, search: URLSearchParams): boolean =>
  req.method === 'POST' || (req.method === 'GET' && ['query', 'documentId', 'extensions'].some((key) => search.has(key)));

/**
 * Who may run what, for every transport: identifies the client, counts the
 * request against its rate limits, lets the gate turn ids into documents
 * under the client's mode, then holds the document to the client's
 * operation limits. `registry()` is read per request, so a reloaded
 * configuration applies at once.
 */
export class Admission {
  constructor(
    private readonly registry: () => ClientRegistry,
    private readonly gate: OperationGate,
    private readonly limits: AdmissionLimits,
    /** Told the code of every refusal, whatever the transport (the metrics count them). */
    private readonly onRefused: (code: string) => void = () => undefined,
  ) {}

  /**
   * The params with the document to run in `query` and no id left, or the
   * refusal. Given a `caller`, the operation is counted against the rate
   * limits here (WebSocket subscribes); HTTP counts in admitRequest.
   */
  async admit<T extends AdmissionParams>(credentials: ClientCredentials, params: T, caller?: Caller): Promise<Admitted<Omit<T, 'documentId'> & { query?: string }>> {
    const client = this.registry().identify(credentials);
    if (client instanceof GraphQLError) return this.refuse(client);
    noteClient(client.name);
    const limited = caller ? await this.limits.rates?.admit(client, caller.userId) : null;
    if (limited) return this.refuse(limited);
    const admitted = await this.gate.admit(client, params);
    if ('refused' in admitted) return this.refuse(admitted.refused);
    const overLimit = admitted.query === undefined ? null : checkDocument(admitted.query, client.limits, this.limits.schema(), params.variables);
    if (overLimit) return this.refuse(overLimit);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the id is consumed here
    const { documentId, extensions, ...rest } = params;
    const otherExtensions = isRecord(extensions) ? Object.fromEntries(Object.entries(extensions).filter(([key]) => key !== 'persistedQuery')) : extensions;
    return { params: { ...rest, ...(otherExtensions === undefined ? {} : { extensions: otherExtensions }), query: admitted.query } as Omit<T, 'documentId'> & { query?: string } };
  }

  private refuse(error: GraphQLError): { refused: GraphQLError } {
    this.onRefused(String(error.extensions.code));
    return { refused: error };
  }

  /**
   * Every HTTP transport's first step, before it reads a body: the body's
   * declared size against the client's limit, then the rate limits. Null
   * lets the request go on; a bad API key is left to `admit`, which refuses
   * it with its own code.
   */
  async admitRequest(req: IncomingMessage, caller: Caller): Promise<HttpRefusal | null> {
    if (!carriesOperation(req, new URL(req.url ?? '/', 'http://localhost').searchParams)) return null;
    const client = this.registry().identify(credentialsFromHeaders(req.headers));
    if (client instanceof GraphQLError) return null;
    const refused = checkBodyLength(req.headers, client.limits.bodyBytes) ?? (await this.limits.rates?.admit(client, caller.userId)) ?? null;
    return refused ? httpRefusal(this.refuse(refused).refused) : null;
  }

  /** The kit's `prepare` hook: the same admission for GET query strings and POST bodies. */
  async prepareHttp(request: GraphQLHttpRequest): Promise<GraphQLHttpRequest | HttpRefusal> {
    const credentials = credentialsFromHeaders(request.headers);
    if (request.method === 'GET') {
      const search = new URLSearchParams(request.search);
      let extensions: unknown;
      try {
        extensions = search.has('extensions') ? JSON.parse(search.get('extensions')!) : undefined;
      } catch {
        // Apollo answers unparsable extensions itself.
        return request;
      }
      const admitted = await this.admit(credentials, {
        query: search.get('query') ?? undefined,
        documentId: search.get('documentId') ?? undefined,
        operationName: search.get('operationName') ?? undefined,
        variables: jsonParam(search.get('variables')),
        extensions,
      });
      if ('refused' in admitted) return httpRefusal(admitted.refused);
      if (admitted.params.query !== undefined) search.set('query', admitted.params.query);
      search.delete('documentId');
      if (admitted.params.extensions === undefined) search.delete('extensions');
      else search.set('extensions', JSON.stringify(admitted.params.extensions));
      return { ...request, search: `?${search}` };
    }
    if (Array.isArray(request.body)) {
      return httpRefusal(this.refuse(new GraphQLError('Send one operation per request; batches are not accepted', { extensions: { code: ErrorCode.BatchNotSupported } })).refused);
    }
    // A non-JSON body: Apollo refuses it itself.
    if (!isRecord(request.body)) return request;
    const admitted = await this.admit(credentials, request.body);
    if ('refused' in admitted) return httpRefusal(admitted.refused);
    return { ...request, body: admitted.params };
  }
}
