import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// The package index exports the options type but not the enum that discriminates it.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { context, propagation } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { ErrorCode, type Identity, signedIdentityHeaders, currentRequestId, requestIdHeader } from '@commerce/service-kit';
import type { GatewayContext } from './context';
import { rewriteFetch } from '../federation/argument-requirements';
import { alignEntityErrorPaths } from '../federation/entity-error-paths';
import { InflightDeduplicator } from './inflight';
import { cloneJson } from './json-clone';
import type { SubgraphFetchObserver } from '../metrics/subgraph-fetches';

/** A subgraph's answer: the body parsed when it is JSON, else the text. */
interface SubgraphAnswer {
  status: number;
  statusText: string;
  body: unknown;
}

const copyAnswer = (answer: SubgraphAnswer): SubgraphAnswer => ({ ...answer, body: cloneJson(answer.body) });

export interface IdentityDataSourceOptions {
  name: string;
  url: string;
  fetcher: Fetcher;
  /** GATEWAY_SUBGRAPH_SECRET: the caller's identity headers go out signed with it, as subgraphs require. */
  secret: string;
  /** Merge identical in-flight query fetches (on by default). */
  deduplicate?: boolean;
  /** Told of every fetch actually sent (a merged one once), for the metrics. */
  observeFetch?: SubgraphFetchObserver;
}

/** The planner prints subgraph operations itself: `query …`, `mutation …` or a bare `{ … }`. */
const readOnlyOperation = /^\s*(?:query\b|\{)/;

function headersFor(identity: Identity | null, secret: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(identity ? signedIdentityHeaders(identity, secret) : {}),
  };
  // The fetch's span (a merged fetch: the first requester's) is the parent of the subgraph's work.
  propagation.inject(context.active(), headers);
  const requestId = currentRequestId();
  if (requestId) headers[requestIdHeader] = requestId;
  return headers;
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'));
}

/**
 * Sends the query plan's fetches to one subgraph as the verified caller.
 *
 * The headers are built here from the gateway context alone: the caller's
 * identity goes out as the kit's identity headers, signed per fetch with the
 * secret the subgraphs share, with the trace context and request id; nothing
 * the client sent (least of all its own x-user-* headers) is passed through.
 *
 * Identical query fetches in flight at the same moment (same subgraph, same
 * body, same identity) are sent once and the answer is shared; each request
 * gets its own copy because the executor merges into what it receives.
 * Mutations are never merged: each must run exactly as often as requested.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly inflight = new InflightDeduplicator<SubgraphAnswer>(copyAnswer);
  private readonly secret: string;
  private readonly deduplicate: boolean;
  private readonly observeFetch?: SubgraphFetchObserver;

  constructor(options: IdentityDataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.name = options.name;
    this.secret = options.secret;
    this.deduplicate = options.deduplicate ?? true;
    this.observeFetch = options.observeFetch;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return super.process(options);
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const identity = options.incomingRequestContext.context.identity ?? null;
    // Extensions are the gateway's own (a subscription event), never the client's.
    // Required fields with arguments travel under stand-in names inside the gateway; see argument-requirements.ts.
    const { query, variables } = rewriteFetch(request.query, request.variables);
    const body = JSON.stringify({
      query,
      variables,
      operationName: request.operationName,
      ...(request.extensions ? { extensions: request.extensions } : {}),
    });
    const send = () => this.timed(() => this.send(body, identity));
    const readOnly = readOnlyOperation.test(query);
    const key = identity ? `${identity.userId}\u0000${identity.role}\u0000${body}` : `\u0000\u0000${body}`;
    const fetchOnce = () => (this.deduplicate && readOnly ? this.inflight.run(key, send) : send());
    const replay = options.incomingRequestContext.context.replay;
    const answer = replay && readOnly ? await replay.run(`${this.name}\u0000${key}`, fetchOnce) : await fetchOnce();
    const response = this.toResponse(answer);
    // Corrects where @apollo/gateway would report this fetch's entity errors; see entity-error-paths.ts.
    return alignEntityErrorPaths({ execution: options.incomingRequestContext, path: options.pathInIncomingRequest, variables: request.variables }, response);
  }

  /** Reports how long `send` took and the status it got (none when it threw). */
  private async timed(send: () => Promise<SubgraphAnswer>): Promise<SubgraphAnswer> {
    if (!this.observeFetch) return send();
    const started = performance.now();
    let status: number | null = null;
    try {
      const answer = await send();
      status = answer.status;
      return answer;
    } finally {
      this.observeFetch({ subgraph: this.name, seconds: (performance.now() - started) / 1000, status });
    }
  }

  private async send(body: string, identity: Identity | null): Promise<SubgraphAnswer> {
    let response;
    try {
      response = await this.fetcher(this.url, { method: 'POST', headers: headersFor(identity, this.secret), body });
    } catch {
      // The client learns which part of the graph is missing, not our addresses.
      throw new GraphQLError(`The ${this.name} service is unavailable`, {
        extensions: { code: ErrorCode.SubgraphUnavailable, service: this.name },
      });
    }
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      body: isJson(response.headers.get('content-type')) ? (JSON.parse(text) as unknown) : text,
    };
  }

  private toResponse({ status, statusText, body }: SubgraphAnswer): GatewayGraphQLResponse {
    if (status < 200 || status >= 300) {
      // As RemoteGraphQLDataSource.errorFromResponse reports it.
      throw new GraphQLError(`${status}: ${statusText}`, {
        extensions: {
          ...(status === 401 ? { code: ErrorCode.Unauthenticated } : status === 403 ? { code: ErrorCode.Forbidden } : {}),
          response: { url: this.url, status, statusText, body },
        },
      });
    }
    if (typeof body !== 'object' || body === null) {
      throw new Error(`Expected a JSON response body from subgraph ${this.name}, but received: ${String(body).slice(0, 200)}`);
    }
    return body as GatewayGraphQLResponse;
  }
}
