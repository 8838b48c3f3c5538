import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DataSource, QueryRunner } from 'typeorm';
import { tracer } from './tracing';

/**
 * Gives every SQL statement sent inside a trace (a request, an event handler)
 * a CLIENT span of its own. Every repository, query builder and transaction
 * of TypeORM sends its statements through a query runner the data source
 * creates, so wrapping that one factory covers them all. Statements outside a
 * trace (the outbox relay's polling) make no spans. The statement text goes on
 * the span, never its parameters.
 */
export function traceQueries(dataSource: DataSource, schema: string): void {
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
    const traced = async (sql: string, parameters?: unknown[], structured?: boolean) => {
      if (!trace.getActiveSpan()) return query(sql, parameters, structured);
      const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
      const span = tracer.startSpan(`${operation} ${schema}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.namespace': schema, 'db.operation.name': operation, 'db.query.text': sql },
      });
      try {
        return await query(sql, parameters, structured);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    };
    runner.query = traced as QueryRunner['query'];
    return runner;
  };
}
