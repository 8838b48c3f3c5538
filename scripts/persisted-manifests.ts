/**
 * Writes Apollo's persisted query manifest beside each client-preset
 * persisted-documents.json, for clients (Apollo Client, Apollo's tooling)
 * that read that format. Run by codegen's afterAllFileWrite hook with the
 * files codegen wrote; by hand without arguments it does every client app.
 *
 * The bodies are the preset's, byte for byte, so an operation has the same
 * id in both files (the preset spells it `sha256:<hex>`, Apollo bare hex).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

interface ApolloOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

const presetFile = 'persisted-documents.json';
const apolloFile = 'persisted-query-manifest.json';
const clientsDir = path.resolve(__dirname, '../gateway/clients');

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
// Code-unit order, not the locale's: the files must come out the same on every machine.
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function operationOf(body: string, source: string): ApolloOperation {
  const operations = parse(body).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  // Apollo's format names one operation per entry; an anonymous one could not be told apart in its logs.
  if (operations.length !== 1 || !operation?.name) throw new Error(`${source}: every document must hold exactly one named operation`);
  return { id: sha256(body), name: operation.name.value, type: operation.operation, body };
}

function apolloManifest(documents: Record<string, string>, source: string) {
  const operations = Object.values(documents)
    .map((body) => operationOf(body, source))
    // Stable whatever order the preset wrote, so `codegen:check` sees no churn.
    .sort((a, b) => byCodeUnits(a.name, b.name) || byCodeUnits(a.id, b.id));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

function writeBeside(presetPath: string): void {
  const documents = JSON.parse(readFileSync(presetPath, 'utf8')) as Record<string, string>;
  const manifest = apolloManifest(documents, presetPath);
  writeFileSync(path.join(path.dirname(presetPath), apolloFile), `${JSON.stringify(manifest, null, 2)}\n`);
}

function everyClientApp(): string[] {
  return readdirSync(clientsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(clientsDir, entry.name, '__generated__', presetFile))
    .filter((file) => existsSync(file));
}

const written = process.argv.slice(2).filter((file) => path.basename(file) === presetFile);
try {
  for (const file of written.length > 0 ? written : everyClientApp()) writeBeside(file);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
