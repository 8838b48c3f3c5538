import { SpanKind } from '@opentelemetry/api';
import { eventually, createLogger, recordSpans, type SpanRecording, signAccessToken } from '@commerce/service-kit';
import { jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';

const lines: string[] = [];
let recording: SpanRecording;
let accountsServer: RunningFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  recording = recordSpans();
  accountsServer = await startFixture(accounts);
  const supergraphSdl = composeFixtures([accounts], { accounts: accountsServer.url });
  gateway = await createGateway({ supergraphSdl, jwt, logger: createLogger('gateway', 'info', { write: (line: string) => void lines.push(line) }) });
});

afterAll(async () => {
  recording?.stop();
  await gateway?.close();
  await accountsServer?.server.close();
});

const requestLog = (requestId: string) =>
  eventually(async () => {
    const line = lines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === 'request completed' && entry.requestId === requestId);
    if (!line) throw new Error(`no log line for ${requestId} yet`);
    return line;
  });

describe('the gateway request log', () => {
  it('logs each request once, with its request id, trace id, operation and client, and never the bearer token', async () => {
    const token = signAccessToken({ userId: 'u1', role: 'CUSTOMER' }, jwt);
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'logged-1', 'apollographql-client-name': 'storefront', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query Who { whoami { userId } }' }),
    });
    expect(((await response.json()) as { data?: unknown }).data).toEqual({ whoami: { userId: 'u1' } });
    expect(response.headers.get('x-request-id')).toBe('logged-1');

    const line = await requestLog('logged-1');
    // The line's trace is the request's own, which the span recorded.
    await eventually(async () => {
      const front = recording.spans().find((span) => span.kind === SpanKind.SERVER && span.attributes['service.name'] === 'gateway' && span.spanContext().traceId === line.trace_id);
      if (!front) throw new Error(`no gateway span in trace ${String(line.trace_id)}`);
    });
    expect(line).toMatchObject({ level: 30, method: 'POST', status: 200, operationName: 'Who', client: 'storefront' });
    expect(lines.filter((text) => text.includes('logged-1'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(token);
  });

  it('logs a refused token without it', async () => {
    const token = 'not.a.valid-token';
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'logged-2', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ whoami { userId } }' }),
    });
    expect(response.status).toBe(401);
    expect(await requestLog('logged-2')).toMatchObject({ status: 401, client: 'anonymous' });
    expect(lines.join('\n')).not.toContain(token);
  });
});
