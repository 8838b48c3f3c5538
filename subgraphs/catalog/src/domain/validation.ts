import { badInput } from '@commerce/service-kit';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuids; anything else cannot name a row, and must not reach Postgres as one. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Trims `value` and requires 1..max characters. */
export function requireName(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max) throw badInput(field, `${field} must have 1 to ${max} characters`);
  return trimmed;
}

/** Requires an integer in min..max (GraphQL Int already guarantees an integer). */
export function requireRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `${field} must be between ${min} and ${max}`);
  }
  return value;
}
