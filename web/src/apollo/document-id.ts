import type { DocumentNode } from 'graphql';

/**
 * The persisted document id codegen's client preset stamped on a document
 * (`__meta__.hash`, `sha256:<hex>`), as the bare hex Apollo's persisted query
 * protocol sends. The gateway finds the document in the `web` client's manifest
 * (gateway/clients/web/__generated__/persisted-documents.json) by it.
 */
export function documentId(document: DocumentNode): string {
  const hash = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('A document without a persisted id: write operations in gateway/clients/web/operations and run `npm run codegen`');
  return hash.replace(/^sha256:/, '');
}
