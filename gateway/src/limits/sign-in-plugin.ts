import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import { ErrorCode } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import type { GatewayContext } from '../upstream/context';
import type { Attempt, Outcome, SignInThrottle } from './sign-in-throttle';

/** The users subgraph's mutation that checks a password. */
const signInField = 'signIn';

/**
 * The operation's one signIn (its email, and the key its result is under),
 * null when it signs nothing in;
 * BAD_REQUEST when it signs in more than once (aliases), which would try
 * several passwords for one attempt's count.
 */
function signInEmail(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): { email: string; responseKey: string } | null {
  const mutation = schema.getMutationType();
  const field = mutation?.getFields()[signInField];
  if (operation.operation !== 'mutation' || !mutation || !field) return null;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  // Through fragments and @skip/@include, as execution will see the root fields.
  const signIns = [...collectFields(schema, fragments, variables ?? {}, mutation, operation.selectionSet)].filter(
    ([, [node]]) => node?.name.value === signInField,
  );
  if (signIns.length === 0) return null;
  if (signIns.length > 1) throw refusal(RefusalCode.BadRequest, 'Sign in once per operation');
  const [responseKey, [node]] = signIns[0]!;
  let args;
  try {
    args = getArgumentValues(field, node!, variables);
  } catch {
    // Variables that do not coerce: execution refuses them before anything runs.
    return null;
  }
  return typeof args.email === 'string' ? { email: args.email, responseKey } : null;
}

type Result = { data?: Record<string, unknown> | null; errors?: readonly { extensions?: Record<string, unknown> }[] } | null;

/** The only signIn of its operation: any wrong-credentials error in the result is its. */
function outcomeOf(result: Result, responseKey: string): Outcome {
  if (result?.errors?.some((error) => error.extensions?.code === ErrorCode.InvalidCredentials)) return 'wrong credentials';
  return result?.data?.[responseKey] ? 'signed in' : 'neither';
}

/** Apollo takes a refusal's status from `extensions.http`, but its headers (Retry-After) only as a HeaderMap. */
function withApolloHeaders(error: GraphQLError): GraphQLError {
  const http = error.extensions.http as { status: number; headers?: Record<string, string> };
  // Widened: a type augmentation elsewhere in the repository (graphql-yoga's) types these headers as a record.
  const extensions: Record<string, unknown> = { ...error.extensions, http: { ...http, headers: new HeaderMap(Object.entries(http.headers ?? {})) } };
  return new GraphQLError(error.message, { extensions });
}

/**
 * Throttles sign-in on every transport that runs operations through Apollo
 * (HTTP, graphql-ws, SSE): the admitted document's signIn is recognised once
 * its operation is resolved, refused there (before the users subgraph, and
 * its password check, is asked) when a budget is spent, and its result
 * settles the attempt.
 */
export function signInThrottling(throttle: SignInThrottle): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let attempt: { begun: Attempt; responseKey: string } | null = null;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const signIn = signInEmail(schema, document, operation, request.variables);
          if (!signIn) return;
          const begun = await throttle.begin(signIn.email, contextValue.clientAddress ?? null);
          if (begun instanceof GraphQLError) throw withApolloHeaders(begun);
          attempt = { begun, responseKey: signIn.responseKey };
        },
        async willSendResponse({ response }) {
          if (!attempt) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : null;
          await attempt.begun.settle(outcomeOf(result, attempt.responseKey));
        },
      };
    },
  };
}
