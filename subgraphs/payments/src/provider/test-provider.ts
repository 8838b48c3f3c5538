import { createHash } from 'node:crypto';
import type { Authorization, PaymentProvider } from './payment-provider';

/** Card tokens starting with this are declined by the test provider. */
export const declinedTokenPrefix = 'tok_decline';

const referencePrefix = 'test_auth_';

export class UnknownReferenceError extends Error {
  constructor(reference: string) {
    super(`The test provider did not issue reference ${reference}`);
    this.name = 'UnknownReferenceError';
  }
}

/**
 * The bundled provider for development and tests: no network, and the same
 * input always gives the same answer. A token starting with `tok_decline` is
 * declined, any other token is approved.
 *
 * It keeps no state, so it behaves the same across restarts: the reference is
 * derived from the idempotency key, which also makes a retried authorization
 * return the same reference.
 */
export function testPaymentProvider(): PaymentProvider {
  const checkReference = async (reference: string): Promise<void> => {
    if (!reference.startsWith(referencePrefix)) throw new UnknownReferenceError(reference);
  };
  return {
    async authorize(amountCents, cardToken, idempotencyKey): Promise<Authorization> {
      if (!Number.isInteger(amountCents) || amountCents <= 0) return { approved: false, reason: 'invalid_amount' };
      if (cardToken.startsWith(declinedTokenPrefix)) return { approved: false, reason: 'card_declined' };
      const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24);
      return { approved: true, reference: `${referencePrefix}${digest}` };
    },
    capture: checkReference,
    void: checkReference,
    refund: checkReference,
  };
}
