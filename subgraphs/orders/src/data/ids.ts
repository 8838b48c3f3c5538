const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every id here is a uuid column; a client-supplied id of another shape names
 * nothing, so it is dropped before SQL instead of failing the cast in Postgres.
 */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export function onlyUuids(values: readonly string[]): string[] {
  return values.filter(isUuid);
}
