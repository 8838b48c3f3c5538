import { z } from 'zod';
import { redisUrlProblem } from '@commerce/pubsub';

/** Raised with every bad or missing variable named, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The variables every service understands. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Postgres; when absent the service runs on an embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** RabbitMQ; when absent events travel in-process (quickstart only). */
  AMQP_URL: z.string().url().optional(),
  /**
   * Redis for live subscriptions, APQ, rate limits and revoked sessions; when absent they stay in-process
   * (quickstart only). One server (redis://, rediss://), a Sentinel-watched master (redis-sentinel://) or a
   * cluster (redis-cluster://): see docs/configuration.md.
   */
  REDIS_URL: z
    .string()
    .superRefine((url, context) => {
      const problem = redisUrlProblem(url);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** Prefix of the RabbitMQ exchange and queues and of the Redis channels, so deployments can share a broker. */
  EVENTS_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/).default('commerce'),
  DATA_DIR: z.string().default('.data'),
  /** Interface to bind; containers set 0.0.0.0. */
  HOST: z.string().default('127.0.0.1'),
  /** Signs and verifies access tokens (HS256) unless JWT_PRIVATE_KEY / JWT_JWKS_URL say otherwise. */
  JWT_SECRET: z.string().min(16).default('development-only-secret-do-not-deploy'),
  JWT_ISSUER: z.string().default('commerce-users'),
  JWT_AUDIENCE: z.string().default('commerce-supergraph'),
  /** PEM (RSA ≥ 2048 bits or EC P-256): the users subgraph signs with it and publishes the public half as JWKS. */
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  /** Where the gateway fetches the issuer's public keys; set, it accepts only tokens signed with them. */
  JWT_JWKS_URL: z.string().url().optional(),
  /** How long an access token lives; a refresh token gets the next one. */
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** How long a sign-in session lasts without signing in again, however often it is refreshed. */
  JWT_REFRESH_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 86_400),
  /**
   * Shared by the gateway and the subgraphs: the gateway signs the caller's
   * identity headers with it, and a subgraph believes only signed ones.
   */
  GATEWAY_SUBGRAPH_SECRET: z.string().min(16).default('development-only-gateway-secret-do-not-deploy'),
  /**
   * Dependencies a subgraph can serve without for a while (its events wait in the outbox; live
   * updates pause) that GET /health/ready should still require: a comma list of `rabbitmq`, `redis`.
   * Empty by default: an outage shared by every replica would otherwise take them all out of the
   * balancer although they still answer queries. /health and /health/live never require them.
   */
  READY_REQUIRES: z
    .string()
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['rabbitmq', 'redis'])))
    .optional(),
  /** Postgres connections per service instance (not the embedded PGlite, which has one). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * The RabbitMQ queues consumers declare: `quorum` (replicated, RabbitMQ ≥ 3.10 for the retry queues' TTL)
   * or `classic`. A queue that exists already with the other type is used as it is, with a warning.
   */
  EVENTS_QUEUE_TYPE: z.enum(['quorum', 'classic']).default('quorum'),
  /** Events a consumer handles at once per queue (RabbitMQ prefetch); each holds a pool connection while it runs. */
  EVENTS_PREFETCH: z.coerce.number().int().min(1).max(1000).default(16),
  /** How long a SIGTERM may take (requests and events in flight finish) before the process exits regardless. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How long published outbox rows (whole event payloads) are kept before being deleted; unpublished ones always stay. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(1).default(24),
  /**
   * How long a consumer remembers an event id it handled. An event delivered again after that is handled
   * again, so it must outlast every redelivery: retries, a republished outbox row, a replayed dead letter.
   */
  INBOX_RETENTION_HOURS: z.coerce.number().int().min(1).default(7 * 24),
};

export { port as portVariable };

/** Secrets whose built-in defaults exist for development only. */
const secretNames = ['JWT_SECRET', 'GATEWAY_SUBGRAPH_SECRET'] as const;
type SecretName = (typeof secretNames)[number];

/** What the gateway and the subgraphs share when GATEWAY_SUBGRAPH_SECRET is not set (never in production). */
export const developmentGatewaySecret = baseEnv.GATEWAY_SUBGRAPH_SECRET.parse(undefined);

/**
 * Parses `env` against `shape` and reports every problem at once. This is the
 * only place a service reads process.env.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const config = result.data as z.infer<z.ZodObject<S>> & { NODE_ENV?: string } & Partial<Record<SecretName, string>>;
  if (config.NODE_ENV === 'production') {
    // Signing with a private key, or verifying against the issuer's published keys, needs no shared secret.
    const asymmetric = Boolean(env.JWT_PRIVATE_KEY || env.JWT_JWKS_URL);
    const needed = secretNames.filter((name) => !(name === 'JWT_SECRET' && asymmetric));
    const defaulted = needed.filter((name) => config[name] === baseEnv[name].parse(undefined));
    if (defaulted.length > 0) throw new ConfigError(defaulted.map((name) => `${name}: the development default must not be used in production`));
  }
  return config;
}

export type BaseConfig = z.infer<z.ZodObject<typeof baseEnv>>;
