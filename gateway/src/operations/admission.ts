import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { isRecord, noteClient } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import { checkBodyLength, checkMessageSize } from '../limits/body-limit';
import { checkDocument } from '../limits/document-limits';
import type { RateLimits } from '../limits/rate-limits';
import type { Client, ClientCredentials, ClientRegistry } from './clients';
import { credentialsFromHeaders } from './credentials';
import type { OperationGate, OperationParams } from './operation-gate';

export type Admitted<T> = { params: T } | { refused: GraphQLError };

/** A GraphQL request as it came over HTTP: the query string for GET, the parsed body for POST. */
export interface GraphQLHttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  search: string;
  body: unknown;
}

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

/** The params with the document to run in `query` and no id left. */
type Resolved<T> = Omit<T, 'documentId'> & { query?: string };

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
 * Who may run what, for every transport and every operation type: identifies
 * the client, counts the request against its rate limits, lets the gate turn
 * ids into documents under the client's mode, then holds the document to the
 * client's operation limits. Refusals are GraphQL errors with a code from the
 * registry (errors/registry.ts); each transport answers them through its
 * refusal mapper. `registry()` is read per request, so a reloaded
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

  /** The client the credentials name, or INVALID_API_KEY. */
  identify(credentials: ClientCredentials): Client | GraphQLError {
    const client = this.registry().identify(credentials);
    if (client instanceof GraphQLError) return this.refuse(client).refused;
    noteClient(client.name);
    return client;
  }

  /**
   * An operation from a known client: the document to run in `query` and no
   * id left, or the refusal. Given a `caller`, the operation is counted
   * against the rate limits here (WebSocket subscribes); HTTP counts them
   * once per request in admitRequest.
   */
  async admitOperation<T extends AdmissionParams>(client: Client, params: T, caller?: Caller): Promise<Admitted<Resolved<T>>> {
    const limited = caller ? await this.limits.rates?.admit(client, caller.userId) : null;
    if (limited) return this.refuse(limited);
    const admitted = await this.gate.admit(client, params);
    if ('refused' in admitted) return this.refuse(admitted.refused);
    const overLimit = admitted.query === undefined ? null : checkDocument(admitted.query, client.limits, this.limits.schema(), params.variables);
    if (overLimit) return this.refuse(overLimit);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the id is consumed here
    const { documentId, extensions, ...rest } = params;
    const otherExtensions = isRecord(extensions) ? Object.fromEntries(Object.entries(extensions).filter(([key]) => key !== 'persistedQuery')) : extensions;
    return { params: { ...rest, ...(otherExtensions === undefined ? {} : { extensions: otherExtensions }), query: admitted.query } as Resolved<T> };
  }

  /**
   * For a transport that carries each operation in a message of its own
   * (graphql-ws's subscribe): identifies the client, holds the message's
   * `bytes` to the client's body limit, then admitOperation.
   */
  async admit<T extends AdmissionParams>(credentials: ClientCredentials, params: T, message: { caller?: Caller; bytes?: number } = {}): Promise<Admitted<Resolved<T>>> {
    const client = this.identify(credentials);
    if (client instanceof GraphQLError) return { refused: client };
    const tooLarge = message.bytes === undefined ? null : checkMessageSize(message.bytes, client.limits.bodyBytes);
    if (tooLarge) return this.refuse(tooLarge);
    return this.admitOperation(client, params, message.caller);
  }

  private refuse(error: GraphQLError): { refused: GraphQLError } {
    this.onRefused(String(error.extensions.code));
    return { refused: error };
  }

  /**
   * Every HTTP request's first step, before its body is read: identifies the
   * client (once for the whole request), holds the body's declared size to
   * the client's limit, then counts the request against the rate limits. A
   * request that carries no operation (an SSE stream, the explorer's page)
   * is neither identified nor counted: its client is null.
   */
  async admitRequest(req: IncomingMessage, caller: Caller): Promise<{ client: Client | null } | { refused: GraphQLError }> {
    if (!carriesOperation(req, new URL(req.url ?? '/', 'http://localhost').searchParams)) return { client: null };
    const client = this.identify(credentialsFromHeaders(req.headers));
    if (client instanceof GraphQLError) return { refused: client };
    const refused = checkBodyLength(req.headers, client.limits.bodyBytes) ?? (await this.limits.rates?.admit(client, caller.userId)) ?? null;
    return refused ? this.refuse(refused) : { client };
  }

  /**
   * The operation of an HTTP request (GET query string or POST body), for
   * every HTTP transport: the request rewritten to carry the document to run,
   * or the refusal. `client` is admitRequest's, identified here if it was not.
   */
  async admitHttp(request: GraphQLHttpRequest, client: Client | null): Promise<{ request: GraphQLHttpRequest } | { refused: GraphQLError }> {
    const known = client ?? this.identify(credentialsFromHeaders(request.headers));
    if (known instanceof GraphQLError) return { refused: known };
    if (request.method === 'GET') {
      const search = new URLSearchParams(request.search);
      let extensions: unknown;
      try {
        extensions = search.has('extensions') ? JSON.parse(search.get('extensions')!) : undefined;
      } catch {
        // Apollo answers unparsable extensions itself.
        return { request };
      }
      const admitted = await this.admitOperation(known, {
        query: search.get('query') ?? undefined,
        documentId: search.get('documentId') ?? undefined,
        operationName: search.get('operationName') ?? undefined,
        variables: jsonParam(search.get('variables')),
        extensions,
      });
      if ('refused' in admitted) return admitted;
      if (admitted.params.query !== undefined) search.set('query', admitted.params.query);
      search.delete('documentId');
      if (admitted.params.extensions === undefined) search.delete('extensions');
      else search.set('extensions', JSON.stringify(admitted.params.extensions));
      return { request: { ...request, search: `?${search}` } };
    }
    if (Array.isArray(request.body)) return this.refuse(refusal(RefusalCode.BatchNotSupported));
    // A body that is not a JSON object: each transport refuses it in its own protocol's words.
    if (!isRecord(request.body)) return { request };
    const admitted = await this.admitOperation(known, request.body);
    if ('refused' in admitted) return admitted;
    return { request: { ...request, body: admitted.params } };
  }
}
