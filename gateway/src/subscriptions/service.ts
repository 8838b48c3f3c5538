import {
  GraphQLError,
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { LivePubSub } from '@commerce/pubsub';
import { type Identity, type VerifiedToken, type Logger } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import { refuseUnauthorizedSubscription } from '../authorization/subscriptions';
import { LiveSessions, signedOut } from '../tokens/live-sessions';
import type { GatewayContext } from '../upstream/context';
import { Deadlines } from './deadlines';
import { CheckedDocuments } from './documents';
import { SubscriptionExecutor, type SubscriptionRequest } from './execute';
import { SubscriptionHub, type SubscriptionStats } from './hub';
import { SubscriptionPlanner } from './plan';
import { SetupSlots } from './setup-slots';
import { UntilWatch, type LiveResult } from './live-until';
import { LiveStream } from './stream';
import { retryTransient } from './transient-retry';

/** A subscription as every transport receives it from a client. */
export interface SubscribeParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** A refusal, or the accepted stream with the checked document (graphql-ws wants it back). */
export type Subscribed = { errors: readonly GraphQLError[] } | { stream: LiveStream; document: DocumentNode; operationName?: string };

const refuse = (message: string, code: RefusalCode) => ({ errors: [refusal(code, message)] });

/** Subscriptions set up at once per owning subgraph; the rest wait their turn. */
const setupsAtOnce = 32;

/** Key order in variables must not split identical subscriptions. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Subscriptions for every transport (graphql-ws, SSE, multipart): checks a
 * subscription, asks the owning subgraph whether the caller may have it,
 * joins it to the shared subscription of identical ones and reads the
 * caller's current state. Transports only carry what it returns.
 */
export class SubscriptionService {
  private planner: SubscriptionPlanner;
  private executor: SubscriptionExecutor;
  private documents: CheckedDocuments;
  /** Bumped per supergraph: a subscription planned over an older one keeps running, but shares only with its own. */
  private generation = 0;
  private readonly hub: SubscriptionHub | null;
  /** When each stream's token expires: one timer for all of them. */
  private readonly deadlines = new Deadlines();
  /** Subscriptions being set up at once, per owning subgraph (see SetupSlots). */
  private readonly setups = new SetupSlots(setupsAtOnce);

  constructor(
    supergraphSdl: string,
    private readonly dataSources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>,
    private readonly live: LivePubSub | undefined,
    private readonly logger: Logger,
    /** Masks unexpected errors, once per resolution rather than per subscriber. */
    private readonly formatError: (error: GraphQLError) => GraphQLFormattedError,
    /** Where each stream is remembered under its token's session, so that signing out ends it. */
    private readonly sessions = new LiveSessions(),
  ) {
    this.planner = new SubscriptionPlanner(supergraphSdl);
    this.executor = new SubscriptionExecutor(this.planner, dataSources, logger);
    this.documents = new CheckedDocuments(this.planner.schema);
    this.hub = live ? new SubscriptionHub(live, logger) : null;
  }

  /** Serves later subscriptions over a new supergraph; live ones carry on with the plan they started with. */
  usePlanner(planner: SubscriptionPlanner): void {
    this.planner = planner;
    this.executor = new SubscriptionExecutor(this.planner, this.dataSources, this.logger);
    this.documents = new CheckedDocuments(planner.schema);
    this.generation++;
  }

  /** The client-facing schema subscriptions are checked against. */
  get schema(): GraphQLSchema {
    return this.planner.schema;
  }

  stats(): SubscriptionStats {
    return this.hub?.stats() ?? { shared: 0, subscribers: 0, resolutions: 0 };
  }

  /**
   * `stillWanted` says whether the client still waits for this subscription
   * (it may complete it, or go, while it waits for a set-up slot): one it
   * gave up on is not set up at all, which matters when thousands reconnect
   * at once and the slow ones try again.
   */
  async subscribe(params: SubscribeParams, token: VerifiedToken | null, stillWanted: () => boolean = () => true): Promise<Subscribed> {
    if (!this.hub) return refuse('Subscriptions are not enabled on this gateway (it has no live pub/sub)', RefusalCode.BadRequest);
    // Read now: a subscription checked and planned over one supergraph shares only with its own.
    const { planner, executor, hub, generation } = this;
    const checked = this.check(params);
    if ('errors' in checked) return checked;
    const { document, operationName, variables, field } = checked;

    const identity = token?.identity ?? null;
    const unauthorized = refuseUnauthorizedSubscription(planner, document, operationName, identity);
    if (unauthorized) return unauthorized;
    // A field whose stream ends (@liveUntil) is resolved with the field that says when, which `read` takes out again.
    const until = UntilWatch.of(field.until, document, operationName, field.responseKey);
    const source = until?.source ?? params.query;
    const plan = planner.plan(source, until?.document ?? document, operationName);
    // The costly part, the owning subgraph's round trips, a bounded number at once (see SetupSlots).
    return this.setups.run(plan.primary.serviceName, async () => {
      if (!stillWanted()) return refuse('The client ended this subscription before it was set up', RefusalCode.BadRequest);
      const request = (as: Identity | null): SubscriptionRequest => ({ plan, source, operationName, variables, context: { identity: as } });
      // A subgraph replica that dies mid-read would otherwise cost every subscriber this change, or its current state.
      const resolve = async (message: object, as: Identity | null): Promise<LiveResult> => {
        let sequence: number | undefined;
        const read = async () => {
          const resolved = await executor.resolve(request(as), message);
          sequence = resolved.sequence;
          return resolved.result;
        };
        const result = this.formatted(await retryTransient(read));
        return { ...(until ? until.read(result) : { result, final: false }), sequence };
      };
      const authorized = await retryTransient(() => executor.authorize(request(identity)));
      if (authorized.errors?.length) return { errors: authorized.errors };

      const viewer = plan.perViewer ? (identity ? `${identity.userId}:${identity.role}` : 'anonymous') : '';
      const key = [generation, operationName ?? '', params.query, stableJson(variables), viewer].join('\u0000');
      const stream = new LiveStream();
      const shared = await hub.join(
        key,
        { channels: field.channels, initialEvent: field.initialEvent, resolve },
        stream,
        identity,
      );
      if (field.initialEvent) {
        const startedAfter = shared.resolutions;
        try {
          const initial = await resolve(field.initialEvent, identity);
          shared.startsAt(initial.sequence);
          stream.setInitial(initial.result, startedAfter, initial.final, initial.sequence);
        } catch (error) {
          await stream.return();
          throw error;
        }
      }
      if (token) this.endAtExpiry(stream, token.expiresAt);
      if (token?.sessionId) this.endAtSignOut(stream, token.sessionId);
      return { stream, document, operationName };
    });
  }

  /** The document parsed, validated and known to be one live subscription field, or why not. */
  private check(params: SubscribeParams) {
    const document = this.documents.check(params.query);
    if ('errors' in document) return document;
    const operationName = params.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return refuse('Unable to identify the operation', RefusalCode.BadRequest);
    if (operation.operation !== 'subscription') return refuse('This transport streams subscriptions; send queries and mutations as plain HTTP requests, or over graphql-ws, to this same URL', RefusalCode.BadRequest);
    // Coerced as execution would: a missing required variable or a value of the wrong type is the client's input, not an internal error.
    const coerced = getVariableValues(this.planner.schema, operation.variableDefinitions ?? [], params.variables ?? {});
    if (coerced.errors) return { errors: coerced.errors.map((error) => refusal(RefusalCode.BadUserInput, error.message)) };
    const variables = params.variables ?? {};
    try {
      return { document, operationName, variables, field: this.planner.liveFields.of(this.planner.schema, operation, coerced.coerced) };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
  }

  private formatted(result: ExecutionResult): FormattedExecutionResult {
    return result.errors ? { ...result, errors: result.errors.map(this.formatError) } : (result as FormattedExecutionResult);
  }

  /** Ends the streams' shared subscriptions; each transport closes its own clients first. */
  async close(): Promise<void> {
    await this.hub?.close();
  }

  /**
   * A stream lives no longer than the token that opened it: the client must
   * sign in again rather than keep receiving data on a session that has ended.
   */
  private endAtExpiry(stream: LiveStream, expiresAt: number): void {
    const end = () => stream.end(this.expired());
    this.deadlines.add(expiresAt, end);
    stream.onEnd(() => this.deadlines.cancel(expiresAt, end));
  }

  /** A stream lives no longer than its session either: signing out ends it with UNAUTHENTICATED, on every instance. */
  private endAtSignOut(stream: LiveStream, sessionId: string): void {
    stream.onEnd(this.sessions.track(sessionId, () => stream.end(this.formatted({ errors: [signedOut()] }))));
  }

  /** Built when a token expires rather than held by every idle stream until then. */
  private expired(): FormattedExecutionResult {
    return this.formatted({
      errors: [refusal(RefusalCode.Unauthenticated, 'The access token has expired; sign in again and resubscribe')],
    });
  }
}

export type { SubscriptionStats };
