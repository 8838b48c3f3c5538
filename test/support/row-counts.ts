import type { Client } from 'pg';

/** The schemas the five subgraphs keep their tables in, in the stack's one database. */
export const subgraphSchemas = ['users', 'catalog', 'orders', 'payments', 'logistics'] as const;

/** Rows per table, keyed `schema.table`. */
export type RowCounts = Record<string, number>;

/**
 * Counts the rows of every table of the subgraph schemas, in one statement.
 * The tables are listed from information_schema on every call, so a table a
 * migration adds is counted without touching this file, and a table that
 * disappeared shows up as a missing key.
 */
export async function countRows(client: Client): Promise<RowCounts> {
  const { rows } = await client.query<{ name: string; rows: number }>(
    `SELECT table_schema || '.' || table_name AS name,
            (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::int AS rows
       FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema = ANY($1)
      ORDER BY 1`,
    [[...subgraphSchemas]],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.rows]));
}

/** `counts` with `writes` (rows added per table) added to it. */
export function withWrites(counts: RowCounts, writes: RowCounts = {}): RowCounts {
  const expected = { ...counts };
  for (const [table, added] of Object.entries(writes)) expected[table] = (expected[table] ?? 0) + added;
  return expected;
}
