/**
 * Composes schema/supergraph.graphql from the subgraphs listed in
 * schema/subgraphs.json. With --check it writes nothing and exits non-zero
 * when composition fails or the checked-in supergraph is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

interface SubgraphEntry {
  name: string;
  url: string;
  schema: string;
}

const root = path.resolve(__dirname, '..');
const listFile = path.join(root, 'schema/subgraphs.json');
const supergraphFile = path.join(root, 'schema/supergraph.graphql');

export function composeSupergraph(): string {
  const entries = JSON.parse(readFileSync(listFile, 'utf8')) as SubgraphEntry[];
  const result = composeServices(
    entries.map((entry) => ({
      name: entry.name,
      url: entry.url,
      typeDefs: parse(readFileSync(path.join(root, entry.schema), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  const composed = composeSupergraph();
  if (!check) {
    writeFileSync(supergraphFile, composed);
    console.log(`wrote ${path.relative(root, supergraphFile)}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(supergraphFile, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (current !== composed) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is up to date.');
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
