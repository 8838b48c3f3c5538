import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { Identity } from '@commerce/service-kit';
import { unauthorizedErrors } from './errors';
import { filterOperation } from './filter';
import { AuthorizationRules, callerOf } from './rules';

/**
 * The gateway's @authenticated and @requiresScopes check for a subscription,
 * at subscribe time. A subscription that selects anything the caller may not
 * see is refused whole, with an UNAUTHORIZED_FIELD_OR_TYPE error per removed
 * path: a stream shared by identical subscriptions cannot carry holes for
 * one subscriber, and the refusal costs no subgraph a request.
 */
export function refuseUnauthorizedSubscription(
  schemas: { schema: GraphQLSchema; supergraphSchema: GraphQLSchema },
  document: DocumentNode,
  operationName: string | undefined,
  identity: Identity | null,
): { errors: GraphQLError[] } | null {
  const rules = AuthorizationRules.of(schemas.supergraphSchema);
  if (rules.empty) return null;
  const filtered = filterOperation(schemas.schema, rules, document, operationName, callerOf(identity));
  return filtered.kind === 'unchanged' ? null : { errors: unauthorizedErrors(filtered.removed) };
}
