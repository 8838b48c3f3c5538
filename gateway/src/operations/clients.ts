import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { z } from 'zod';

import { refusal, RefusalCode } from '../errors/registry';
import { operationLimits, operationLimitsOverrides, rateLimit, rateLimitOverrides, type OperationLimits, type RateLimit } from '../limits/settings';
import { Manifest, sha256 } from './manifest';

/**
 * What a client may run:
 * - ALLOW: anything, and may register APQ hashes;
 * - LOG: the same, and operations not in its list are logged with client and hash;
 * - SAFELIST: only its listed documents, sent whole or by id;
 * - REQUIRE_ID: only its listed documents, by id.
 */
export const operationModes = ['ALLOW', 'LOG', 'SAFELIST', 'REQUIRE_ID'] as const;
export type OperationMode = (typeof operationModes)[number];

export interface Client {
  name: string;
  /** Partners are known by API key only; first-party apps by the `apollographql-client-name` header. */
  partner: boolean;
  mode: OperationMode;
  manifest: Manifest;
  /** The clients.json entry whose limits apply: the client's own, or `anonymous` for an unnamed or unknown app. */
  policy: string;
  limits: OperationLimits;
  rateLimit: RateLimit;
}

/** What callers that name no configured client get. */
type AnonymousPolicy = Pick<Client, 'mode' | 'limits' | 'rateLimit'>;

/** How a request says who sends it. */
export interface ClientCredentials {
  apiKey?: string;
  clientName?: string;
}

const clientEntry = z
  .object({
    partner: z.boolean().default(false),
    mode: z.enum(operationModes),
    /** Relative to the configuration file. */
    manifest: z.string().min(1).optional(),
    /** SHA-256 (hex) of each key in force; a rotation adds the new key's hash, then removes the old. */
    apiKeys: z.array(z.object({ id: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).default([]),
    limits: operationLimitsOverrides.default({}),
    rateLimit: rateLimitOverrides.default({}),
  })
  .strict();

const configFile = z
  .object({
    $comment: z.string().optional(),
    /** Callers that name no client: the explorer, curl, anyone. */
    anonymous: z
      .object({ mode: z.enum(operationModes), limits: operationLimitsOverrides.default({}), rateLimit: rateLimitOverrides.default({}) })
      .strict()
      .default({ mode: 'ALLOW', limits: {}, rateLimit: {} }),
    clients: z.record(z.string(), clientEntry).default({}),
  })
  .strict();

/** Checked apart from the schema so that a bad name and a bad entry are both reported in one go. */
function badNames(raw: unknown): string[] {
  const clients = (raw as { clients?: unknown } | null)?.clients;
  if (typeof clients !== 'object' || clients === null) return [];
  return Object.keys(clients)
    .filter((name) => !/^[a-z0-9-]+$/.test(name))
    .map((name) => `clients.${name}: client names are lower-case letters, digits and dashes`);
}

export const invalidApiKey = (message: string) => refusal(RefusalCode.InvalidApiKey, message);

/** The clients and their policies as one configuration file (with its manifests) describes them. */
export class ClientRegistry {
  private constructor(
    private readonly byName: ReadonlyMap<string, Client>,
    private readonly byKeyHash: ReadonlyMap<string, Client>,
    private readonly anonymous: AnonymousPolicy,
    /** Every file this registry was read from, to reload when one changes. */
    readonly files: readonly string[],
  ) {}

  /** Everyone ALLOWed: what a gateway without a configuration file serves. */
  static open(): ClientRegistry {
    return new ClientRegistry(new Map(), new Map(), { mode: 'ALLOW', limits: operationLimits(), rateLimit: rateLimit() }, []);
  }

  /** Reads and checks the file and every manifest it names; throws naming what is wrong. */
  static async load(file: string): Promise<ClientRegistry> {
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
    const parsed = configFile.safeParse(raw);
    const problems = [...badNames(raw), ...(parsed.error?.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`) ?? [])];
    if (!parsed.success || problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
    const byName = new Map<string, Client>();
    const byKeyHash = new Map<string, Client>();
    const files = [file];
    for (const [name, entry] of Object.entries(parsed.data.clients)) {
      let manifest = Manifest.empty();
      if (entry.manifest) {
        const manifestFile = path.resolve(path.dirname(file), entry.manifest);
        files.push(manifestFile);
        manifest = new Manifest(JSON.parse(await readFile(manifestFile, 'utf8')));
      }
      const client: Client = { name, partner: entry.partner, mode: entry.mode, manifest, policy: name, limits: operationLimits(entry.limits), rateLimit: rateLimit(entry.rateLimit) };
      byName.set(name, client);
      for (const key of entry.apiKeys) {
        if (byKeyHash.has(key.sha256)) throw new Error(`${file}: API key ${key.id} of ${name} is also another client's`);
        byKeyHash.set(key.sha256, client);
      }
    }
    const { mode, limits, rateLimit: rate } = parsed.data.anonymous;
    return new ClientRegistry(byName, byKeyHash, { mode, limits: operationLimits(limits), rateLimit: rateLimit(rate) }, files);
  }

  /**
   * The client a request comes from, or INVALID_API_KEY. An unknown app name
   * gets the anonymous policy (under its own name, for the logs): the header
   * is only a claim, so it may not earn more than saying nothing would.
   */
  identify(credentials: ClientCredentials): Client | GraphQLError {
    if (credentials.apiKey !== undefined) {
      return this.byKeyHash.get(sha256(credentials.apiKey)) ?? invalidApiKey('The API key is unknown or has been rotated out');
    }
    const named = credentials.clientName ? this.byName.get(credentials.clientName) : undefined;
    if (named?.partner) return invalidApiKey(`${named.name} is a partner: send its API key in the x-api-key header`);
    return named ?? { name: credentials.clientName ?? 'anonymous', partner: false, manifest: Manifest.empty(), policy: 'anonymous', ...this.anonymous };
  }
}
