/** Called by repositories once a write and its outbox events have committed. */
export interface WriteHooks {
  /** Wakes the outbox relay so events go out now instead of at its next poll. */
  onCommitted(): void;
}

export const noHooks: WriteHooks = { onCommitted: () => undefined };

/** Postgres SQLSTATE codes the repositories translate into domain errors. */
export const sqlState = {
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  numericOutOfRange: '22003',
} as const;

export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
