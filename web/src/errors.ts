/**
 * Every error the graph can answer, as a sentence a person understands. The
 * gateway and subgraphs type their failures with `extensions.code`
 * (packages/service-kit/src/errors.ts); this is the one place the app turns
 * those codes into words, so no screen ever shows a raw code.
 */
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

interface CodedError {
  message: string;
  extensions?: Record<string, unknown>;
}

const sentences: Record<string, (error: CodedError) => string> = {
  BAD_USER_INPUT: (e) =>
    `Please check ${typeof e.extensions?.field === 'string' ? `the ${humanField(e.extensions.field)}` : 'what you entered'}: ${e.message.replace(/\.?$/, '.')}`,
  UNAUTHENTICATED: () => 'Your session has ended. Please sign in again.',
  INVALID_REFRESH_TOKEN: () => 'Your session has ended. Please sign in again.',
  FORBIDDEN: () => 'You are not allowed to do that with this account.',
  UNAUTHORIZED_FIELD_OR_TYPE: () => 'You are not allowed to see or do that with this account.',
  NOT_FOUND: () => 'We could not find that. It may have been removed.',
  EMAIL_TAKEN: () => 'An account with that email already exists. Try signing in instead.',
  INVALID_CREDENTIALS: () => 'That email and password do not match an account.',
  PRODUCT_UNAVAILABLE: () => 'One of the products is no longer sold by this shop. Remove it from your cart and try again.',
  INVALID_STATUS_TRANSITION: (e) =>
    typeof e.extensions?.from === 'string'
      ? `That is no longer possible: the order is already ${statusWord(e.extensions.from).toLowerCase()}.`
      : 'That is no longer possible at this stage.',
  SUBGRAPH_UNAVAILABLE: () => 'Part of the service is briefly unavailable; some details may be missing. Please try again shortly.',
  RATE_LIMITED: (e) =>
    `Too many requests right now. Please wait ${typeof e.extensions?.retryAfter === 'number' ? `${e.extensions.retryAfter} seconds` : 'a moment'} and try again.`,
  TOO_MANY_SIGN_IN_ATTEMPTS: (e) =>
    `Too many sign-in attempts. Please wait ${typeof e.extensions?.retryAfter === 'number' ? `${e.extensions.retryAfter} seconds` : 'a while'} and try again.`,
  OPERATION_NOT_IN_SAFELIST: () => 'This version of the app is out of date. Please reload the page.',
  PERSISTED_DOCUMENT_NOT_FOUND: () => 'This version of the app is out of date. Please reload the page.',
  INTERNAL_SERVER_ERROR: () => 'Something went wrong on our side. Please try again.',
};

const statusWords: Record<string, string> = {
  PENDING: 'Pending',
  CONFIRMED: 'Confirmed',
  PREPARING: 'Preparing',
  READY_FOR_PICKUP: 'Ready for pickup',
  OUT_FOR_DELIVERY: 'Out for delivery',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
  REJECTED: 'Rejected',
};

/** An order status as the word people read (and the acceptance checks look for). */
export function statusWord(status: string): string {
  return statusWords[status] ?? status;
}

function humanField(field: string): string {
  return field.replace(/([A-Z])/g, ' $1').replace(/^input\./, '').toLowerCase();
}

/** The sentence for one coded GraphQL error. */
export function sentenceFor(error: CodedError): string {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
  const sentence = sentences[code];
  if (sentence) return sentence(error);
  // The gateway's limit refusals (MAX_DEPTH_EXCEEDED…) are a bug in this app, not something a person can fix.
  return 'Something went wrong on our side. Please try again.';
}

/** A sentence for whatever a query, mutation or subscription failed with. */
export function describeError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return sentenceFor(error.errors[0] ?? { message: '' });
  if (ServerError.is(error)) {
    const body = safeJson(error.bodyText);
    const first = body?.errors?.[0];
    if (first) return sentenceFor(first);
    return 'The service answered with an error. Please try again.';
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return 'We cannot reach the service. Check your connection; we will keep trying.';
  }
  if (error && typeof error === 'object' && 'extensions' in error) return sentenceFor(error as CodedError);
  return 'Something went wrong. Please try again.';
}

function safeJson(text: string): { errors?: CodedError[] } | null {
  try {
    return JSON.parse(text) as { errors?: CodedError[] };
  } catch {
    return null;
  }
}

/** Why an order was rejected, from the reason the saga wrote in its history. */
export function rejectionSentence(reason: string | null | undefined): string {
  if (!reason) return 'The order was rejected.';
  if (/Payment declined/i.test(reason)) return 'Your card was declined, so the order was not placed. No money was taken; try another card.';
  if (/OUT_OF_STOCK/.test(reason)) return 'The shop does not have enough stock for this order, so it was not placed and no money was taken.';
  if (/stock/i.test(reason)) return 'Some products are no longer available, so the order was not placed and no money was taken.';
  return `The order was rejected: ${reason}.`;
}
