/**
 * The slice of a pino `Logger` the bus, relay and inbox log through. Kept
 * structural so this package needs no logging dependency; a pino logger fits.
 */
export interface EventLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const ignore = (): void => undefined;

/** The default when no logger is given: tests and the quickstart stay quiet. */
export const silentLogger: EventLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** A log field for a thrown value, whatever it is. */
export function errorField(error: unknown): { message: string; stack?: string } {
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}
