import { createHash } from 'node:crypto';
import { print } from 'graphql';
import type { GatewayExecutionResult, GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../upstream/context';
import { WrappingGateway } from '../upstream/wrapping-gateway';
import { layOutAsSent } from './complete';
import { unauthorizedErrors } from './errors';
import { filterOperation, type FilterResult } from './filter';
import { AuthorizationRules, callerKey, callerOf, type Caller } from './rules';

/** A filtered operation with what @apollo/gateway plans and caches it by. */
type Decision = Exclude<FilterResult, { kind: 'filtered' }> | (Extract<FilterResult, { kind: 'filtered' }> & { source: string; queryHash: string });

function decisionOf(filtered: FilterResult): Decision {
  if (filtered.kind !== 'filtered') return filtered;
  const source = print(filtered.document);
  // @apollo/gateway caches plans by this hash, so the filtered operation must not share the sent one's.
  return { ...filtered, source, queryHash: createHash('sha256').update(source).digest('hex') };
}

/** Decisions kept per supergraph: distinct documents times distinct scope sets. */
const decisionLimit = 1_000;

interface SchemaAuthorization {
  rules: AuthorizationRules;
  decisions: Map<string, Decision>;
}

/**
 * Enforces @authenticated and @requiresScopes from the supergraph in front of
 * @apollo/gateway's executor, as Apollo Router documents it: before planning,
 * the fields and fragments the caller may not see are removed from the
 * operation; the rest is planned and run as usual; then the removed fields
 * come back null (with null propagation) beside an UNAUTHORIZED_FIELD_OR_TYPE
 * error at each removed path. When nothing remains, no subgraph is asked and
 * the answer is the errors alone.
 */
export class AuthorizingGateway extends WrappingGateway<SchemaAuthorization> {
  protected read(coreSupergraphSdl: string): SchemaAuthorization {
    return { rules: AuthorizationRules.fromSdl(coreSupergraphSdl), decisions: new Map() };
  }

  protected async execute(
    executor: GatewayExecutor,
    requestContext: GatewayGraphQLRequestContext,
    authorization: SchemaAuthorization | undefined,
  ): Promise<GatewayExecutionResult> {
    // Fail closed: a schema whose rules were never read must not run unchecked.
    if (!authorization) throw new Error('No authorization rules were read for this schema');
    if (authorization.rules.empty) return executor(requestContext);
    const caller = callerOf((requestContext.context as GatewayContext).identity ?? null);
    const decision = this.decide(authorization, requestContext, caller);
    if (decision.kind === 'unchanged') return executor(requestContext);
    // The errors alone are a complete answer, not a malformed request: 200, as Apollo Router answers it.
    if (decision.kind === 'empty') return { errors: unauthorizedErrors(decision.removed, { http: { status: 200 } }) };

    const result = await executor({
      ...requestContext,
      request: { ...requestContext.request, query: decision.source },
      source: decision.source,
      queryHash: decision.queryHash,
      document: decision.document,
      operation: decision.operation,
    });
    const refused = unauthorizedErrors(decision.removed);
    if (!result.data) return { ...result, errors: [...refused, ...(result.errors ?? [])] };
    const sent = { document: requestContext.document, operationName: requestContext.request.operationName, variables: requestContext.request.variables };
    const laidOut = layOutAsSent(requestContext.schema, sent, result.data);
    return { ...result, data: laidOut.data, errors: [...refused, ...(result.errors ?? []), ...laidOut.errors] };
  }

  /** What to run for this document and caller, decided once per document, operation and caller kind. */
  private decide({ rules, decisions }: SchemaAuthorization, requestContext: GatewayGraphQLRequestContext, caller: Caller): Decision {
    const key = `${callerKey(caller)}\u0000${requestContext.request.operationName ?? ''}\u0000${requestContext.queryHash}`;
    const cached = decisions.get(key);
    if (cached) return cached;
    const decision = decisionOf(filterOperation(requestContext.schema, rules, requestContext.document, requestContext.request.operationName, caller));
    if (decisions.size >= decisionLimit) decisions.delete(decisions.keys().next().value!);
    decisions.set(key, decision);
    return decision;
  }
}
