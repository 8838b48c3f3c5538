import type { DataSource, Logger } from 'typeorm';

/**
 * Background work that shares a data source with the resolvers (outbox relays
 * polling, inbox bookkeeping, the transactions around them); left out of counts
 * meant to show what serving a request costs.
 */
export const backgroundStatements = /\b(outbox|inbox)\b|^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i;

/**
 * Records the SQL statements the data sources send while `work` runs. TypeORM
 * reports each statement to its logger before executing it, whatever the
 * logging setting, so a recording logger sees all of them, whichever
 * repository or query builder sent them.
 */
export async function recordQueries<T>(
  dataSources: DataSource | DataSource[],
  work: () => Promise<T>,
  ignore: RegExp = backgroundStatements,
): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const restore: (() => void)[] = [];
  for (const dataSource of Array.isArray(dataSources) ? dataSources : [dataSources]) {
    const original = dataSource.logger;
    const recording: Logger = Object.assign(Object.create(original) as Logger, {
      logQuery: (query: string, parameters?: unknown[]) => {
        if (!ignore.test(query)) queries.push(query);
        return original.logQuery(query, parameters);
      },
    });
    Object.assign(dataSource, { logger: recording });
    restore.push(() => Object.assign(dataSource, { logger: original }));
  }
  try {
    return { result: await work(), queries };
  } finally {
    for (const undo of restore) undo();
  }
}
