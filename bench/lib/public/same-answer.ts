import { isDeepStrictEqual } from 'node:util';

/**
 * Whether a response body carries the expected answer: byte for byte when the
 * serializations agree (the cheap common case), else the same JSON value
 * (whitespace and key order aside). Any `errors` or `extensions` the expected
 * answer lacks make it a different answer.
 */
export function sameAnswer(text: string, expectedText: string, expectedValue: unknown): boolean {
  if (text === expectedText) return true;
  try {
    return isDeepStrictEqual(JSON.parse(text), expectedValue);
  } catch {
    return false;
  }
}
