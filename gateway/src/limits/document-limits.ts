import type { GraphQLError, GraphQLSchema } from 'graphql';
import { Parser } from 'graphql/language/parser';
import { refusal, RefusalCode } from '../errors/registry';
import { estimateCost } from './cost';
import { measureDocument } from './measure';
import { checkStorableText } from './storable-text';
import type { OperationLimits } from './settings';

/** A refusal naming the limit, so a client can tell which one it hit. */
export const limitExceeded = (code: RefusalCode, message: string, limit: number): GraphQLError => refusal(code, message, { limit });

/**
 * Checks a document against its client's limits, and its text (variables
 * included) for what no subgraph can store, or returns null. Parsing
 * stops at the token limit, so an oversized document costs no more than a
 * permitted one. A document that does not parse is left to Apollo (and the
 * subscription transports), which answer with their own syntax error.
 */
export function checkDocument(source: string, limits: OperationLimits, schema: GraphQLSchema, variables: unknown): GraphQLError | null {
  const parser = new Parser(source, { maxTokens: limits.tokens, noLocation: true });
  let document;
  try {
    document = parser.parseDocument();
  } catch {
    if (parser.tokenCount > limits.tokens) return limitExceeded(RefusalCode.MaxTokensExceeded, `The document has more than ${limits.tokens} tokens`, limits.tokens);
    return null;
  }
  const shape = measureDocument(document);
  if (shape.depth > limits.depth) return limitExceeded(RefusalCode.MaxDepthExceeded, `The operation is ${shape.depth} fields deep; the limit is ${limits.depth}`, limits.depth);
  if (shape.aliases > limits.aliases) return limitExceeded(RefusalCode.MaxAliasesExceeded, `The document has ${shape.aliases} aliases; the limit is ${limits.aliases}`, limits.aliases);
  if (shape.rootFields > limits.rootFields) {
    return limitExceeded(RefusalCode.MaxRootFieldsExceeded, `The operation selects ${shape.rootFields} root fields; the limit is ${limits.rootFields}`, limits.rootFields);
  }
  if (shape.directives > limits.directives) {
    return limitExceeded(RefusalCode.MaxDirectivesExceeded, `The document has ${shape.directives} directives; the limit is ${limits.directives}`, limits.directives);
  }
  const cost = estimateCost(document, schema, variables);
  if (cost > limits.cost) return limitExceeded(RefusalCode.CostLimitExceeded, `The operation's estimated cost is ${cost}; the limit is ${limits.cost}`, limits.cost);
  return checkStorableText(document, variables);
}
