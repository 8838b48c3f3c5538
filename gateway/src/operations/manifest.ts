import { createHash } from 'node:crypto';
import { parse, print } from 'graphql';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** How a client's listed documents are shipped; `npm run codegen` writes both. */
type ManifestFile =
  /** GraphQL Code Generator client-preset's persisted documents: hash → document. */
  | Record<string, string>
  /** Apollo's persisted query manifest. */
  | ApolloManifest;

interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; body: string }[];
}

const isApolloManifest = (file: ManifestFile): file is ApolloManifest => file.format === 'apollo-persisted-query-manifest';

/** Spacing and comments must not make a listed operation unlisted. */
function normalized(document: string): string | null {
  try {
    return print(parse(document));
  } catch {
    return null;
  }
}

/**
 * One client application's trusted documents: by id (what clients send
 * instead of a document) and by content (so the same document sent in full
 * counts as listed, however it is spaced).
 */
export class Manifest {
  private readonly byId = new Map<string, string>();
  private readonly listedContent = new Set<string>();

  constructor(file: ManifestFile) {
    const entries: [string, string][] = isApolloManifest(file)
      ? file.operations.map((operation) => [operation.id, operation.body])
      : Object.entries(file as Record<string, string>);
    for (const [id, body] of entries) {
      if (typeof body !== 'string') throw new Error(`Manifest entry ${id} has no document`);
      const content = normalized(body);
      if (content === null) throw new Error(`Manifest entry ${id} does not parse`);
      // client-preset writes its sha256 ids as `sha256:<hex>`; clients send them with or without the prefix.
      this.byId.set(id.replace(/^sha256:/, ''), body);
      this.listedContent.add(sha256(content));
    }
  }

  static empty(): Manifest {
    return new Manifest({});
  }

  get size(): number {
    return this.byId.size;
  }

  document(id: string): string | null {
    return this.byId.get(id) ?? null;
  }

  lists(document: string): boolean {
    const content = normalized(document);
    return content !== null && this.listedContent.has(sha256(content));
  }
}
