import { QueryFailedError } from 'typeorm';
import { createLogger } from '../src/logger';
import { recordSpans, type SpanRecording } from '../src/span-recording';
import { tracer } from '../src/tracing';

let recording: SpanRecording;
beforeAll(() => {
  recording = recordSpans();
});
afterAll(() => recording.stop());

function capture() {
  const lines: string[] = [];
  const logger = createLogger('probe', 'info', { write: (line: string) => void lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the kit logger', () => {
  it('redacts credentials wherever they appear', () => {
    const { logger, lines, parsed } = capture();
    logger.info(
      {
        password: 'pw-top',
        user: { password: 'pw-nested' },
        req: { headers: { authorization: 'Bearer eyJ.secret.token', 'x-api-key': 'partner-key', cookie: 'session=s3' } },
        variables: { input: { cardToken: 'tok_live_card' } },
        result: { data: { signIn: { token: 'issued.jwt.token' } } },
        apiKey: 'raw-key',
      },
      'something happened',
    );
    logger.error({ err: new QueryFailedError('INSERT INTO x VALUES ($1)', ['stored-hash'], new Error('duplicate key')) }, 'query failed');

    for (const secret of ['pw-top', 'pw-nested', 'eyJ.secret.token', 'partner-key', 'session=s3', 'tok_live_card', 'issued.jwt.token', 'raw-key', 'stored-hash']) {
      expect(lines.join('')).not.toContain(secret);
    }
    expect(parsed()[0]).toMatchObject({ req: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' } }, variables: { input: { cardToken: '[redacted]' } } });
  });

  it('stamps each line with the trace and span it was logged in', () => {
    const { logger, parsed } = capture();
    const ids = tracer.startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });
});
