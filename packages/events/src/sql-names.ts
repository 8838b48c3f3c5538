/**
 * Schema names are spliced into SQL (identifiers cannot be bound as
 * parameters), so only plain lower-case identifiers are accepted.
 */
export function checkedSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  return schema;
}
