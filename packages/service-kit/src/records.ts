/**
 * A plain JSON object: what a request body, a variables map or an extensions
 * field must be before its fields are read. Arrays and null are not records.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
