/**
 * An event that can never be handled as it is: a malformed envelope, an
 * unknown type, or a payload that breaks its contract. Retrying cannot help,
 * so the buses drop it (later: dead-letter it) instead of redelivering it.
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
