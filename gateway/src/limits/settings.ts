import { z } from 'zod';

/**
 * How much one operation may ask of the gateway, per client (README:
 * Operation limits). A document is measured once a persisted id has become
 * a document, over every transport.
 */
export interface OperationLimits {
  /** Nested selections: `{ me { orders { id } } }` is 3 deep. */
  depth: number;
  /** Aliased fields in the whole document. */
  aliases: number;
  /** Fields at the root of an operation (fragments at the root included). */
  rootFields: number;
  /** Lexical tokens; parsing stops past this many. */
  tokens: number;
  /** Directives used anywhere in the document. */
  directives: number;
  /** The estimate of cost.ts: every field 1 for each time it may be resolved. */
  cost: number;
  /** The request body (Content-Length) of HTTP POSTs. */
  bodyBytes: number;
}

/** Requests admitted per minute, counted across every gateway instance. */
export interface RateLimit {
  /** Everything the client sends, all its users together. */
  perMinute: number;
  /** What one signed-in user of the client sends. */
  perUserPerMinute: number;
}

/** The transports read at most this much of a body, so no client may be allowed more. */
export const bodyBytesCeiling = 1_000_000;

/** What the schema's own operations need with room to spare (README table). */
export const defaultOperationLimits: OperationLimits = {
  depth: 10,
  aliases: 30,
  rootFields: 15,
  tokens: 2_000,
  directives: 20,
  cost: 5_000,
  bodyBytes: 100_000,
};

export const defaultRateLimit: RateLimit = {
  perMinute: 6_000,
  perUserPerMinute: 600,
};

const count = z.number().int().nonnegative();
const atLeastOne = z.number().int().positive();

/** clients.json's `limits`: any of them, the rest stay at their defaults. */
export const operationLimitsOverrides = z
  .object({
    depth: atLeastOne,
    aliases: count,
    rootFields: atLeastOne,
    tokens: atLeastOne,
    directives: count,
    cost: atLeastOne,
    bodyBytes: atLeastOne.max(bodyBytesCeiling),
  })
  .partial()
  .strict();

/** clients.json's `rateLimit`. */
export const rateLimitOverrides = z.object({ perMinute: atLeastOne, perUserPerMinute: atLeastOne }).partial().strict();

export const operationLimits = (overrides: z.infer<typeof operationLimitsOverrides> = {}): OperationLimits => ({ ...defaultOperationLimits, ...overrides });

export const rateLimit = (overrides: z.infer<typeof rateLimitOverrides> = {}): RateLimit => ({ ...defaultRateLimit, ...overrides });
