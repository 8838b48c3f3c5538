import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const root = path.resolve(__dirname, '../..');

interface SubgraphEntry {
  name: string;
  url: string;
  schema: string;
}

/**
 * The checked-in subgraphs composed as `npm run compose` composes them, after
 * `edits` (by subgraph name) rewrite their SDL in memory: a schema change to
 * roll out to a running gateway, without touching the files.
 */
export function composeEdited(edits: Record<string, (sdl: string) => string>): string {
  const entries = JSON.parse(readFileSync(path.join(root, 'schema/subgraphs.json'), 'utf8')) as SubgraphEntry[];
  const result = composeServices(
    entries.map(({ name, url, schema }) => {
      const sdl = readFileSync(path.join(root, schema), 'utf8');
      return { name, url, typeDefs: parse(edits[name]?.(sdl) ?? sdl) };
    }),
  );
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}
