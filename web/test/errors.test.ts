import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describeError, rejectionSentence, sentenceFor, statusWord } from '../src/errors';

describe('error sentences', () => {
  it('turns every typed error a person can meet into a sentence without its code', () => {
    const codes = [
      'BAD_USER_INPUT',
      'UNAUTHENTICATED',
      'INVALID_REFRESH_TOKEN',
      'FORBIDDEN',
      'UNAUTHORIZED_FIELD_OR_TYPE',
      'NOT_FOUND',
      'EMAIL_TAKEN',
      'INVALID_CREDENTIALS',
      'PRODUCT_UNAVAILABLE',
      'INVALID_STATUS_TRANSITION',
      'SUBGRAPH_UNAVAILABLE',
      'RATE_LIMITED',
      'TOO_MANY_SIGN_IN_ATTEMPTS',
      'OPERATION_NOT_IN_SAFELIST',
      'MAX_DEPTH_EXCEEDED',
      'SOMETHING_NEW',
    ];
    for (const code of codes) {
      const sentence = sentenceFor({ message: 'raw', extensions: { code } });
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toContain(code);
    }
  });

  it('says what is not allowed any more, naming the status as a word', () => {
    expect(sentenceFor({ message: 'x', extensions: { code: 'INVALID_STATUS_TRANSITION', from: 'OUT_FOR_DELIVERY', to: 'CANCELLED' } })).toBe(
      'That is no longer possible: the order is already out for delivery.',
    );
    expect(sentenceFor({ message: 'x', extensions: { code: 'FORBIDDEN' } })).toBe('You are not allowed to do that with this account.');
    expect(sentenceFor({ message: 'x', extensions: { code: 'RATE_LIMITED', retryAfter: 12 } })).toContain('12 seconds');
    expect(sentenceFor({ message: 'x', extensions: { code: 'TOO_MANY_SIGN_IN_ATTEMPTS', retryAfter: 840 } })).toBe(
      'Too many sign-in attempts. Please wait 840 seconds and try again.',
    );
  });

  it('reads the first GraphQL error of a failed operation', () => {
    const error = new CombinedGraphQLErrors({ errors: [{ message: 'Wrong password', extensions: { code: 'INVALID_CREDENTIALS' } }] });
    expect(describeError(error)).toBe('That email and password do not match an account.');
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(/cannot reach the service/);
  });

  it('explains why the saga rejected an order', () => {
    expect(rejectionSentence('Payment declined (card_declined)')).toMatch(/^Your card was declined/);
    expect(rejectionSentence('Not enough stock (OUT_OF_STOCK)')).toMatch(/not have enough stock/);
  });

  it('names every order status as the word people read', () => {
    expect(['PENDING', 'READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'REJECTED'].map(statusWord)).toEqual(['Pending', 'Ready for pickup', 'Out for delivery', 'Rejected']);
  });
});
