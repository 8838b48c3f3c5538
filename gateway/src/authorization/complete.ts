import { executeSync, type DocumentNode, type GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/** Thrown where a removed field's value belongs; the errors it leaves are replaced by filterOperation's paths. */
const removedHere = new Error('removed by authorization');

/**
 * Lays out the data of the filtered operation as the operation the client
 * sent: each field it kept comes from `data` as it is, each removed one is
 * null, with the standard null propagation (a removed non-null field nulls
 * its parent), which graphql-js applies as it executes the sent operation
 * over the data. The executor answers every field of the operation it ran
 * (null when it failed), so a field missing from `data` is a removed one.
 * Returns any error other than those removals (none expected).
 */
export function layOutAsSent(
  schema: GraphQLSchema,
  request: { document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> },
  data: Record<string, unknown>,
): { data: Record<string, unknown> | null | undefined; errors: readonly GraphQLError[] } {
  const resolve: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, _args, _context, info) => {
    // The data is keyed by response name, the alias when there is one.
    const value = source[String(info.path.key)];
    if (value === undefined) throw removedHere;
    return value;
  };
  const result = executeSync({
    schema,
    document: request.document,
    operationName: request.operationName,
    variableValues: request.variables,
    rootValue: data,
    fieldResolver: resolve,
  });
  return { data: result.data, errors: (result.errors ?? []).filter((error) => error.originalError !== removedHere) };
}
