import type { GraphQLError, GraphQLSchema } from 'graphql';
import { checkDocument } from './document-limits';
import type { OperationLimits } from './settings';

/** Enough for every operation a busy client mix repeats; beyond it the memo starts over rather than grow. */
const maxDocuments = 2_000;

const isEmpty = (variables: unknown) =>
  variables === undefined || variables === null || (typeof variables === 'object' && Object.keys(variables).length === 0);

/**
 * checkDocument, remembered: a document without variables that passed its
 * client's limits against a schema passes again, so the same text is not
 * parsed, measured and costed on every request (about 4 % of the gateway's
 * CPU on the public benchmark's query). Only passes are remembered, per
 * schema (a reload starts afresh) and per limits object (one per client
 * policy, replaced when clients.json changes); with variables, which the
 * cost and the text checks read, the check always runs.
 */
export class AdmittedDocuments {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<OperationLimits, Set<string>>>();

  check(source: string, limits: OperationLimits, schema: GraphQLSchema, variables: unknown): GraphQLError | null {
    if (!isEmpty(variables)) return checkDocument(source, limits, schema, variables);
    let byLimits = this.bySchema.get(schema);
    if (!byLimits) this.bySchema.set(schema, (byLimits = new WeakMap()));
    let passed = byLimits.get(limits);
    if (!passed) byLimits.set(limits, (passed = new Set()));
    if (passed.has(source)) return null;
    const refused = checkDocument(source, limits, schema, variables);
    if (!refused) {
      if (passed.size >= maxDocuments) passed.clear();
      passed.add(source);
    }
    return refused;
  }
}
