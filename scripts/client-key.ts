/**
 * Mints and revokes partners' API keys in gateway/clients/clients.json.
 *
 *   npm run clients:key -- <client> [--id KEY_ID]     mint a key and print it once
 *   npm run clients:key -- <client> --revoke KEY_ID   revoke one
 *
 * Only a key's SHA-256 is kept, so a lost key cannot be shown again: mint
 * another. To rotate, mint the new key, hand it over, then revoke the old one;
 * the gateway rereads the file, so both steps apply without a restart.
 * `--config FILE` works on another configuration file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ApiKey {
  id: string;
  sha256: string;
}

interface ClientEntry {
  partner?: boolean;
  apiKeys?: ApiKey[];
}

interface ClientsConfig {
  clients?: Record<string, ClientEntry>;
}

const usage = 'usage: npm run clients:key -- <client> [--id KEY_ID | --revoke KEY_ID] [--config FILE]';
const defaultConfig = path.resolve(__dirname, '../gateway/clients/clients.json');

/** JSON on one line, spaced as the configuration file is. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${inline(item)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * The file's own layout (one line per client), so that minting or revoking a
 * key changes that client's line and nothing else in the diff.
 */
function formatConfig(config: ClientsConfig): string {
  const clientLines = (clients: Record<string, unknown>) =>
    Object.keys(clients).length === 0 ? '{}' : `{\n${Object.entries(clients).map(([name, entry]) => `    ${JSON.stringify(name)}: ${inline(entry)}`).join(',\n')}\n  }`;
  const lines = Object.entries(config).map(
    ([key, value]) => `  ${JSON.stringify(key)}: ${key === 'clients' ? clientLines(value as Record<string, unknown>) : inline(value)}`,
  );
  return `{\n${lines.join(',\n')}\n}\n`;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function partner(config: ClientsConfig, name: string, file: string): ClientEntry {
  const clients = config.clients ?? {};
  const entry = Object.hasOwn(clients, name) ? clients[name] : undefined;
  if (!entry) throw new Error(`No client "${name}" in ${file}; its clients are: ${Object.keys(clients).join(', ') || 'none'}`);
  if (!entry.partner) {
    throw new Error(`${name} is not a partner: first-party apps name themselves with the apollographql-client-name header and hold no API keys`);
  }
  return entry;
}

/** Today's date, made unique among the client's key ids. */
function defaultKeyId(keys: ApiKey[]): string {
  const today = new Date().toISOString().slice(0, 10);
  const taken = new Set(keys.map((key) => key.id));
  let id = today;
  for (let n = 2; taken.has(id); n += 1) id = `${today}-${n}`;
  return id;
}

function mint(entry: ClientEntry, name: string, requestedId: string | undefined): { id: string; key: string } {
  const keys = (entry.apiKeys ??= []);
  const id = requestedId ?? defaultKeyId(keys);
  if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`Key ids are letters, digits, dots, dashes and underscores; "${id}" is not`);
  if (keys.some((key) => key.id === id)) throw new Error(`${name} already has a key with id ${id}`);
  const key = `ck_${randomBytes(32).toString('base64url')}`;
  keys.push({ id, sha256: sha256(key) });
  return { id, key };
}

function revoke(entry: ClientEntry, name: string, id: string): void {
  const keys = entry.apiKeys ?? [];
  const remaining = keys.filter((key) => key.id !== id);
  if (remaining.length === keys.length) {
    throw new Error(`${name} has no key with id ${id}; its keys: ${keys.map((key) => key.id).join(', ') || 'none'}`);
  }
  entry.apiKeys = remaining;
}

function main(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { id: { type: 'string' }, revoke: { type: 'string' }, config: { type: 'string' } } });
  } catch {
    console.error(usage);
    return 2;
  }
  const { positionals, values } = parsed;
  const [name] = positionals;
  if (positionals.length !== 1 || !name || (values.id !== undefined && values.revoke !== undefined)) {
    console.error(usage);
    return 2;
  }
  const file = values.config ? path.resolve(values.config) : defaultConfig;
  const config = JSON.parse(readFileSync(file, 'utf8')) as ClientsConfig;
  const entry = partner(config, name, file);
  if (values.revoke !== undefined) {
    revoke(entry, name, values.revoke);
    writeFileSync(file, formatConfig(config));
    console.error(`Revoked key ${values.revoke} of ${name}.`);
    return 0;
  }
  const { id, key } = mint(entry, name, values.id);
  writeFileSync(file, formatConfig(config));
  console.error(`API key ${id} for ${name}, shown this once only (${file} keeps just its SHA-256):`);
  console.log(key);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
