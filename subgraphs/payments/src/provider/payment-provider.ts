/** What the provider answered to an authorization request. */
export type Authorization =
  | { approved: true; /** The provider's id for the hold, used to capture, void or refund it. */ reference: string }
  | { approved: false; /** A short machine-readable reason, shown to the customer as the decline reason. */ reason: string };

/**
 * The port to a card payment provider. Every call is safe to retry: `authorize`
 * is idempotent on `idempotencyKey`, and capturing, voiding or refunding a
 * reference twice has the effect of doing it once.
 *
 * A declined card is an expected answer (`approved: false`), not an error;
 * the methods reject only when the provider cannot be reached or refuses the request.
 */
export interface PaymentProvider {
  /** Holds `amountCents` on the card behind `cardToken`. */
  authorize(amountCents: number, cardToken: string, idempotencyKey: string): Promise<Authorization>;
  /** Takes the held amount. */
  capture(reference: string): Promise<void>;
  /** Releases a hold that was never captured. */
  void(reference: string): Promise<void>;
  /** Pays a captured amount back. */
  refund(reference: string): Promise<void>;
}
