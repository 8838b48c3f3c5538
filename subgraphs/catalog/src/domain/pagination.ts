import { badInput } from '@commerce/service-kit';
import type { ProductRow } from '../data/rows';
import { isUuid } from './validation';

/** Where a page starts: strictly after this (createdAt, id) in newest-first order. */
export interface ProductCursor {
  createdAt: Date;
  id: string;
}

export const defaultPageSize = 20;
export const maxPageSize = 100;

/**
 * Cursors are opaque to clients (base64 of JSON) so the ordering key can change
 * without breaking the API; they carry the full keyset, so a page is stable
 * under concurrent inserts.
 */
export function encodeCursor(product: Pick<ProductRow, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([product.createdAt.toISOString(), product.id]), 'utf8').toString('base64');
}

/** Throws BAD_USER_INPUT for anything encodeCursor could not have produced. */
export function decodeCursor(cursor: string, field = 'after'): ProductCursor {
  const malformed = () => badInput(field, 'The cursor is not one this API issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw malformed();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) throw malformed();
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) throw malformed();
  return { createdAt, id };
}
