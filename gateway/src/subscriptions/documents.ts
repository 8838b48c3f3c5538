import { BREAK, GraphQLError, Kind, parse, validate, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { refusal, RefusalCode } from '../errors/registry';

/** Documents kept at most; clients send a handful of distinct subscription documents. */
const cacheLimit = 1_000;

/**
 * Subscription documents parsed and validated against one schema, by their
 * text. Every subscriber of the same text shares one DocumentNode: a parsed
 * document keeps its tokens and locations (about 10 KB for a modest
 * selection), which each idle connection would otherwise hold for as long
 * as it is open. Only valid documents are kept, so junk cannot evict them.
 */
export class CheckedDocuments {
  private readonly cache = new Map<string, DocumentNode>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** The document `source` parses to, valid against the schema, or why not (with the codes HTTP uses). */
  check(source: string): DocumentNode | { errors: readonly GraphQLError[] } {
    const cached = this.cache.get(source);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : 'Unparsable document';
      return { errors: [new GraphQLError(message, { extensions: { code: RefusalCode.ParseFailed } })] };
    }
    // Before validation, which would only say the directive is unknown: the client learns what to change.
    if (defersInSubscription(document)) return { errors: [refusal(RefusalCode.DeferInSubscription)] };
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) {
      return { errors: invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: RefusalCode.ValidationFailed } })) };
    }
    if (this.cache.size >= cacheLimit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(source, document);
    return document;
  }
}

/** Whether a subscription in `document` (or a fragment, which a subscription may spread) carries @defer. */
function defersInSubscription(document: DocumentNode): boolean {
  if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription')) return false;
  let found = false;
  visit(document, {
    Directive(directive) {
      if (directive.name.value !== 'defer') return;
      found = true;
      return BREAK;
    },
  });
  return found;
}
