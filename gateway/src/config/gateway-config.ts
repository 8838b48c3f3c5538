import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { baseEnv, ConfigError, loadConfig, portVariable, type JwtSettings } from '@commerce/service-kit';
import { defaultCorsOrigins, type CorsOrigins } from '../http/cors';
import { defaultSignInLimits, defaultSignInWindowSeconds, type SignInLimits } from '../limits/sign-in-throttle';

/**
 * The gateway workspace's folder. Found by looking up for its package.json, because this module
 * runs from src/config/ under tsx and from a bundle in dist/ in production, at different depths.
 */
function workspaceDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const gatewayDir = workspaceDir(__dirname);
/** The checked-in composition output; `npm run compose` writes it. */
export const defaultSupergraphPath = path.resolve(gatewayDir, '../schema/supergraph.graphql');
/** The checked-in client applications and partners, with their operation policies. */
export const defaultClientsPath = path.resolve(gatewayDir, 'clients/clients.json');

const gatewayEnv = {
  NODE_ENV: baseEnv.NODE_ENV,
  LOG_LEVEL: baseEnv.LOG_LEVEL,
  HOST: baseEnv.HOST,
  JWT_SECRET: baseEnv.JWT_SECRET,
  JWT_ISSUER: baseEnv.JWT_ISSUER,
  JWT_AUDIENCE: baseEnv.JWT_AUDIENCE,
  JWT_JWKS_URL: baseEnv.JWT_JWKS_URL,
  GATEWAY_SUBGRAPH_SECRET: baseEnv.GATEWAY_SUBGRAPH_SECRET,
  REDIS_URL: baseEnv.REDIS_URL,
  EVENTS_NAMESPACE: baseEnv.EVENTS_NAMESPACE,
  SHUTDOWN_TIMEOUT_MS: baseEnv.SHUTDOWN_TIMEOUT_MS,
  PORT: portVariable(4000),
  SUPERGRAPH_PATH: z.string().min(1).default(defaultSupergraphPath),
  CLIENTS_PATH: z.string().min(1).default(defaultClientsPath),
  /** How long an APQ registration lives in Redis after it was last sent in full. */
  APQ_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** Sign-ins per account, then per client address, that may fail in a window before more are refused (429). */
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(defaultSignInLimits.perAccount),
  SIGN_IN_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(defaultSignInLimits.perAddress),
  /** The window, from an account's (or address's) first failure. */
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().positive().default(defaultSignInWindowSeconds),
  /** Proxies in front of the gateway that append the client's address to X-Forwarded-For (1 behind the edge nginx). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** `*` or a comma-separated list of exact origins; unset (or empty) takes the default for NODE_ENV (see cors.ts). */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx): CorsOrigins | undefined => {
      const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      if (entries.length === 0) return undefined;
      if (entries.includes('*')) {
        if (entries.length > 1) ctx.addIssue({ code: 'custom', message: '`*` allows every origin; list origins or give `*` alone' });
        return '*';
      }
      for (const entry of entries.filter((candidate) => !isOrigin(candidate))) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin: give scheme, host and port only, e.g. https://shop.example` });
      }
      return entries;
    }),
};

/** Browsers compare origins as exact strings, so anything a browser would not send (a path, a trailing slash, upper case) could never match. */
function isOrigin(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return /^https?:$/.test(url.protocol) && url.origin === candidate;
  } catch {
    return false;
  }
}

/** `SUBGRAPH_USERS_URL` routes the subgraph named `users` (docker-compose sets these). */
const subgraphUrlVariable = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;
const httpUrl = z.string().url().refine((value) => /^https?:$/.test(new URL(value).protocol));

export interface GatewayConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  port: number;
  supergraphPath: string;
  /** Clients, API key hashes and operation policies (see gateway/clients/clients.json). */
  clientsPath: string;
  apqTtlSeconds: number;
  /** Routing URL overrides by subgraph name (lower case, as composed). */
  subgraphUrls: Record<string, string>;
  jwt: JwtSettings;
  /** Set, access tokens are verified against the issuer's published keys instead of JWT_SECRET. */
  jwksUrl: string | null;
  /** Signs the caller's identity headers to the subgraphs, which share it. */
  subgraphSecret: string;
  /** Where live updates arrive from; without it the gateway refuses subscriptions. */
  redis: { url: string; namespace: string } | null;
  /** The browser origins that may call /graphql. */
  corsOrigins: CorsOrigins;
  /** Failed sign-ins allowed per window, and the window. */
  signIn: SignInLimits & { windowMs: number };
  trustedProxyHops: number;
}

function subgraphUrlOverrides(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = subgraphUrlVariable.exec(key);
    if (!match?.[1] || value === undefined || value === '') continue;
    const parsed = httpUrl.safeParse(value);
    if (!parsed.success) problems.push(`${key}: must be a URL such as http://users:4001/graphql`);
    else urls[match[1].toLowerCase()] = parsed.data;
  }
  return urls;
}

/**
 * Reads the gateway's variables, naming every bad one at once. This is the
 * only module of the gateway that touches process.env. A `--supergraph FILE`
 * argument (see args.ts) takes precedence over SUPERGRAPH_PATH.
 */
export function loadGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { supergraphPath?: string } = {},
): GatewayConfig {
  const problems: string[] = [];
  const subgraphUrls = subgraphUrlOverrides(env, problems);
  let config;
  try {
    config = loadConfig(gatewayEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError([...error.problems, ...problems]);
    throw error;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: config.NODE_ENV,
    logLevel: config.LOG_LEVEL,
    host: config.HOST,
    port: config.PORT,
    supergraphPath: path.resolve(overrides.supergraphPath ?? config.SUPERGRAPH_PATH),
    clientsPath: path.resolve(config.CLIENTS_PATH),
    apqTtlSeconds: config.APQ_TTL_SECONDS,
    subgraphUrls,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    jwksUrl: config.JWT_JWKS_URL ?? null,
    subgraphSecret: config.GATEWAY_SUBGRAPH_SECRET,
    redis: config.REDIS_URL ? { url: config.REDIS_URL, namespace: config.EVENTS_NAMESPACE } : null,
    corsOrigins: config.CORS_ORIGINS ?? defaultCorsOrigins(config.NODE_ENV === 'production'),
    signIn: {
      perAccount: config.SIGN_IN_FAILURES_PER_ACCOUNT,
      perAddress: config.SIGN_IN_FAILURES_PER_ADDRESS,
      windowMs: config.SIGN_IN_WINDOW_SECONDS * 1000,
    },
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
  };
}

/**
 * @apollo/gateway starts an OpenTelemetry exporter that reports anonymous
 * usage to Apollo unless APOLLO_TELEMETRY_DISABLED is set, and the gateway
 * must call nothing but its subgraphs. The constructor reads the variable,
 * so createGateway calls this before building one; an explicit value wins.
 */
export function disableApolloTelemetryUnlessSet(env: NodeJS.ProcessEnv = process.env): void {
  if (env.APOLLO_TELEMETRY_DISABLED === undefined) env.APOLLO_TELEMETRY_DISABLED = 'true';
}
