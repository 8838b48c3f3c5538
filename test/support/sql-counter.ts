import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';

/**
 * Counts the SQL statements a set of data sources run. TypeORM hands every
 * statement to its logger whatever the logging setting, so swapping the
 * logger in sees all of them without touching the services.
 */
export function countSql(dataSources: DataSource[]) {
  let count = 0;
  const counter: TypeOrmLogger = {
    logQuery: () => {
      count += 1;
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  for (const dataSource of dataSources) Object.assign(dataSource, { logger: counter });
  return {
    reset: () => {
      count = 0;
    },
    get count() {
      return count;
    },
  };
}
