import { testPaymentProvider, UnknownReferenceError } from '../src/provider/test-provider';

describe('the test payment provider', () => {
  const provider = testPaymentProvider();

  it.each(['tok_decline', 'tok_decline_insufficient_funds'])('declines the card token %s', async (token) => {
    expect(await provider.authorize(1000, token, 'order-1')).toEqual({ approved: false, reason: 'card_declined' });
  });

  // tok_decl is a near miss: only the full prefix declines.
  it.each(['tok_visa', 'tok_mastercard', 'tok_decl'])('approves the card token %s', async (token) => {
    expect(await provider.authorize(1000, token, 'order-1')).toEqual({ approved: true, reference: expect.any(String) });
  });

  it('gives the same reference for a retried authorization and a different one for another key', async () => {
    const first = await provider.authorize(1000, 'tok_visa', 'order-1');
    const retried = await provider.authorize(1000, 'tok_visa', 'order-1');
    const other = await provider.authorize(1000, 'tok_visa', 'order-2');
    expect(retried).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('declines an amount that is not a positive whole number of cents', async () => {
    expect(await provider.authorize(0, 'tok_visa', 'order-3')).toEqual({ approved: false, reason: 'invalid_amount' });
    expect(await provider.authorize(10.5, 'tok_visa', 'order-3')).toEqual({ approved: false, reason: 'invalid_amount' });
  });

  it('captures, voids and refunds references it issued, and refuses others', async () => {
    const authorization = await provider.authorize(1000, 'tok_visa', 'order-4');
    if (!authorization.approved) throw new Error('expected an approval');
    await expect(provider.capture(authorization.reference)).resolves.toBeUndefined();
    await expect(provider.void(authorization.reference)).resolves.toBeUndefined();
    await expect(provider.refund(authorization.reference)).resolves.toBeUndefined();
    await expect(provider.capture('ch_someone_else')).rejects.toBeInstanceOf(UnknownReferenceError);
  });
});
