import { ApolloServer } from '@apollo/server';
import { createHttpHandler, listen, type RunningHttpServer } from '../src/http';

let server: RunningHttpServer;
let healthy = true;
let brokerUp = true;
const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });

beforeAll(async () => {
  await apollo.start();
  const handler = createHttpHandler({
    apollo,
    context: async () => ({}),
    health: async () => ({ postgres: healthy ? null : 'connection refused' }),
    degraded: async () => ({ rabbitmq: brokerUp ? null : 'not connected to RabbitMQ; reconnecting' }),
    maxBodyBytes: 1_000,
  });
  server = await listen(handler, 0);
});

afterAll(async () => {
  await server.close();
  await apollo.stop();
});

const base = () => server.url.replace('/graphql', '');
const post = (body: string) => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the HTTP bootstrap', () => {
  it('serves GraphQL on /graphql', async () => {
    const response = await post(JSON.stringify({ query: '{ hello }' }));
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('answers /health with 200, or 503 naming the failing dependency', async () => {
    expect((await fetch(`${base()}/health`)).status).toBe(200);
    healthy = false;
    const down = await fetch(`${base()}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', reasons: { postgres: 'connection refused' } });
    healthy = true;
  });

  it('reports a dependency it can do without for a while, keeping the 200', async () => {
    brokerUp = false;
    const impaired = await fetch(`${base()}/health`);
    expect(impaired.status).toBe(200);
    expect(await impaired.json()).toEqual({ status: 'ok', degraded: { rabbitmq: 'not connected to RabbitMQ; reconnecting' } });
    healthy = false;
    expect(await (await fetch(`${base()}/health`)).json()).toEqual({
      status: 'unavailable',
      reasons: { postgres: 'connection refused' },
      degraded: { rabbitmq: 'not connected to RabbitMQ; reconnecting' },
    });
    healthy = true;
    brokerUp = true;
  });

  it('refuses a body over the limit with 413 and unknown paths with 404', async () => {
    const huge = await post(JSON.stringify({ query: `{ hello } #${'x'.repeat(2_000)}` }));
    expect(huge.status).toBe(413);
    // The code the gateway's own body limit answers with, so a client handles both alike.
    expect(await huge.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BODY_TOO_LARGE', limit: 1_000 } }] });
    expect(huge.headers.get('connection')).toBe('close');
    expect((await fetch(`${base()}/nothing-here`)).status).toBe(404);
  });

  it('answers unparsable JSON with a 400 rather than crashing', async () => {
    const response = await post('{ not json');
    expect(response.status).toBe(400);
  });
});
