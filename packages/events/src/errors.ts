/**
 * An event that can never be handled as it is: a malformed envelope, an
 * unknown type, or a payload that breaks its contract. Retrying cannot help,
 * so the buses dead-letter it at once instead of retrying it.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';

  constructor(
    message: string,
    /** One line per problem, `path: message`. */
    readonly issues: string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
  }
}

/**
 * The broker cannot be reached right now (the bus is reconnecting). Publishing
 * fails fast with it so the outbox keeps the event for a later round.
 */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
}
