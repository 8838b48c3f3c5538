import type { DataSource, Logger } from 'typeorm';

/**
 * Records every SQL statement `dataSource` sends while `work` runs. TypeORM
 * reports each statement to its logger before executing it, so swapping in a
 * recording logger sees all of them, whichever repository or query builder sent them.
 */
export async function recordQueries<T>(dataSource: DataSource, work: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const original = dataSource.logger;
  const queries: string[] = [];
  const recording: Logger = {
    logQuery: (query, parameters, runner) => {
      queries.push(query);
      return original.logQuery(query, parameters, runner);
    },
    logQueryError: (...args) => original.logQueryError(...args),
    logQuerySlow: (...args) => original.logQuerySlow(...args),
    logSchemaBuild: (...args) => original.logSchemaBuild(...args),
    logMigration: (...args) => original.logMigration(...args),
    log: (...args) => original.log(...args),
  };
  dataSource.logger = recording;
  try {
    return { result: await work(), queries };
  } finally {
    dataSource.logger = original;
  }
}
