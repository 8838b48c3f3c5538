import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GraphQLError } from 'graphql';
import { ClientRegistry } from '@commerce/gateway';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

let directory: string;
let configFile: string;

/** `npm run clients:key -- <args>` against this test's copy of the configuration. */
async function clientsKey(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/client-key.ts', ...args, '--config', configFile], {
      cwd: root,
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as Outcome;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const readConfig = async () => JSON.parse(await readFile(configFile, 'utf8'));
const keysOf = async (client: string) => (await readConfig()).clients[client].apiKeys;

/** The client the gateway would take a request with this key for, or its error code. */
async function gatewayKnows(apiKey: string): Promise<string> {
  const client = (await ClientRegistry.load(configFile)).identify({ apiKey });
  return client instanceof GraphQLError ? String(client.extensions.code) : client.name;
}

/**
 * A configuration of this test's own, never the working tree's gateway/clients: a user who has
 * followed the README and minted keys there must still see these tests pass, and they must not
 * touch that file. Two partners without keys and one first-party app, each with a manifest.
 */
const fixtureConfig = `{
  "anonymous": { "mode": "ALLOW" },
  "clients": {
    "web": { "mode": "LOG", "manifest": "web/persisted-documents.json" },
    "acme-delivery": { "partner": true, "mode": "REQUIRE_ID", "manifest": "acme-delivery/persisted-documents.json", "apiKeys": [] },
    "globex-eats": { "partner": true, "mode": "REQUIRE_ID", "manifest": "globex-eats/persisted-documents.json", "apiKeys": [] }
  }
}
`;

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'client-key-'));
  configFile = path.join(directory, 'clients.json');
  await writeFile(configFile, fixtureConfig);
  for (const client of Object.keys((await readConfig()).clients)) {
    const document = `query ${client.replace(/-/g, '_')}Me { me { id } }`;
    await mkdir(path.join(directory, client));
    await writeFile(path.join(directory, client, 'persisted-documents.json'), JSON.stringify({ [`sha256:${sha256(document)}`]: document }));
  }
});

afterEach(() => rm(directory, { recursive: true, force: true }));

describe('npm run clients:key', () => {
  it('mints a key for a partner, keeps only its SHA-256, and the gateway knows the partner by it', async () => {
    const minted = await clientsKey('acme-delivery', '--id', 'launch');

    expect(minted.code).toBe(0);
    const key = minted.stdout.trim();
    expect(key).toMatch(/^ck_[A-Za-z0-9_-]+$/);
    expect(Buffer.from(key.slice('ck_'.length), 'base64url')).toHaveLength(32);
    expect(await keysOf('acme-delivery')).toEqual([{ id: 'launch', sha256: sha256(key) }]);
    expect(await keysOf('globex-eats')).toEqual([]);
    expect(await readFile(configFile, 'utf8')).not.toContain(key);
    expect(await gatewayKnows(key)).toBe('acme-delivery');
  });

  it('mints a new key each time, under an id of its own', async () => {
    const first = (await clientsKey('globex-eats')).stdout.trim();
    const second = (await clientsKey('globex-eats')).stdout.trim();

    expect(second).not.toBe(first);
    const keys = await keysOf('globex-eats');
    expect(keys.map((key: { sha256: string }) => key.sha256)).toEqual([sha256(first), sha256(second)]);
    expect(new Set(keys.map((key: { id: string }) => key.id)).size).toBe(2);
  });

  it('revokes a key: the gateway refuses it and the file is as it was, formatting and all', async () => {
    const original = await readFile(configFile, 'utf8');
    const key = (await clientsKey('acme-delivery', '--id', 'old')).stdout.trim();
    expect(await readFile(configFile, 'utf8')).not.toBe(original);

    const revoked = await clientsKey('acme-delivery', '--revoke', 'old');

    expect(revoked.code).toBe(0);
    expect(await readFile(configFile, 'utf8')).toBe(original);
    expect(await gatewayKnows(key)).toBe('INVALID_API_KEY');
  });

  it('refuses unknown clients and first-party apps, and changes nothing', async () => {
    const original = await readFile(configFile, 'utf8');

    const unknown = await clientsKey('initech');
    const firstParty = await clientsKey('web');

    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/No client "initech".*acme-delivery, globex-eats/);
    expect(firstParty).toMatchObject({ code: 1, stdout: '' });
    expect(firstParty.stderr).toMatch(/web is not a partner/);
    expect(await readFile(configFile, 'utf8')).toBe(original);
  });

  it('refuses a key id already in use and revoking a key the client does not have', async () => {
    await clientsKey('acme-delivery', '--id', 'launch');
    const after = await readFile(configFile, 'utf8');

    const reused = await clientsKey('acme-delivery', '--id', 'launch');
    const missing = await clientsKey('acme-delivery', '--revoke', 'never');
    const otherPartners = await clientsKey('globex-eats', '--revoke', 'launch');

    expect(reused).toMatchObject({ code: 1, stdout: '' });
    expect(reused.stderr).toMatch(/already has a key with id launch/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has no key with id never/);
    expect(otherPartners.code).toBe(1);
    expect(await readFile(configFile, 'utf8')).toBe(after);
  });

  it('prints its usage for arguments it does not understand', async () => {
    for (const args of [[], ['acme-delivery', 'globex-eats'], ['acme-delivery', '--id', 'a', '--revoke', 'b'], ['acme-delivery', '--force']]) {
      const outcome = await clientsKey(...args);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(/^usage: npm run clients:key/);
    }
  });
});
