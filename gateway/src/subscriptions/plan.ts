import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { buildOperationContext, type OperationContext } from '@apollo/gateway/dist/operationContext';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { drawOverrideConditions, overrideLabels } from '../federation/progressive-override';
import { LiveFields } from './live-fields';
import { selectsPerViewerField } from './viewer';

/** A subscription's plan split as the planner splits it: the owning subgraph's root fetch, then the rest. */
export interface SubscriptionPlan {
  primary: FetchNode;
  rest?: PlanNode;
  operationContext: OperationContext;
  /** Whether the selection depends on who asks (see viewer.ts), so identical subscriptions of different users share nothing. */
  perViewer: boolean;
}

/** Plans kept at most; clients send a handful of distinct subscription documents. */
const cacheLimit = 1_000;

/**
 * Plans subscriptions over the same supergraph the gateway serves, with
 * @apollo/query-planner, which @apollo/gateway uses for queries but cannot
 * execute for subscriptions.
 */
export class SubscriptionPlanner {
  /** The client-facing schema, to validate subscription documents against. */
  readonly schema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  readonly apiSchema: Schema;
  /** Which channels feed each subscription field, as the supergraph declares them (@live). */
  readonly liveFields: LiveFields;
  private readonly planner: QueryPlanner;
  /** Progressive @override labels: each subscription draws them, as each query does (progressive-override.ts). */
  private readonly overrideLabels: string[];
  private readonly cache = new Map<string, SubscriptionPlan>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.liveFields = LiveFields.fromSupergraph(this.supergraphSchema);
    this.planner = new QueryPlanner(supergraph);
    this.overrideLabels = overrideLabels(supergraphSdl);
  }

  /** `source` (the document's text) is the cache key; `document` must be its parse, already validated. */
  plan(source: string, document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const overrideConditions = drawOverrideConditions(this.overrideLabels);
    const drawn = this.overrideLabels.map((label) => (overrideConditions.get(label) ? '1' : '0')).join('');
    const key = `${drawn}\u0000${operationName ?? ''}\u0000${source}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const node = this.planner.buildQueryPlan(operation, { overrideConditions }).node;
    if (node?.kind !== 'Subscription') throw new Error('The planner did not plan a subscription');
    const plan: SubscriptionPlan = {
      primary: node.primary,
      rest: node.rest,
      operationContext: buildOperationContext({ schema: this.schema, operationDocument: document, operationName }),
      perViewer: selectsPerViewerField(this.supergraphSchema, document),
    };
    if (this.cache.size >= cacheLimit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, plan);
    return plan;
  }
}
