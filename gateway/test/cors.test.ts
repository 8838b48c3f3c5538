import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { WebSocket } from 'ws';
import { jwt } from './helpers';
import { loadGatewayConfig } from '../src/config/gateway-config';
import { InMemoryRateLimiter } from '../src/limits/rate-limiter';
import { defaultOperationLimits } from '../src/limits/settings';
import { ClientRegistry } from '../src/operations/clients';
import { createGateway, type GatewayOptions, type RunningGateway } from '../src/server';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';

/**
 * CORS on /graphql: which pages may read the gateway's answers from a
 * browser, for every HTTP transport and for refusals, and the preflight.
 */

const shop = 'https://shop.example';
const admin = 'https://admin.example';
const stranger = 'https://evil.example';
const logger = pino({ level: 'warn' }, new Writable({ write: (_chunk, _enc, done) => done() }));

let directory: string;
let fixture: RunningFixture;
let supergraphSdl: string;
const gateways: RunningGateway[] = [];

async function start(options: Partial<GatewayOptions>): Promise<RunningGateway> {
  const gateway = await createGateway({ supergraphSdl, jwt, logger, ...options });
  gateways.push(gateway);
  return gateway;
}

let listed: RunningGateway;
let anyOrigin: RunningGateway;
let production: RunningGateway;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cors-'));
  // One request a minute for `brief`, to see a 429.
  await writeFile(path.join(directory, 'clients.json'), JSON.stringify({ clients: { brief: { mode: 'ALLOW', rateLimit: { perMinute: 1 } } } }));
  const clients = await ClientRegistry.load(path.join(directory, 'clients.json'));
  fixture = await startFixture(accounts);
  supergraphSdl = composeFixtures([accounts], { [fixture.name]: fixture.url });
  listed = await start({ corsOrigins: [shop, admin], clients: () => clients, rateLimiter: new InMemoryRateLimiter() });
  anyOrigin = await start({ corsOrigins: '*' });
  production = await start({ production: true });
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await fixture?.server.close();
  await rm(directory, { recursive: true, force: true });
});

const query = JSON.stringify({ query: '{ users { id } }' });

function post(gateway: RunningGateway, headers: Record<string, string>, body = query): Promise<Response> {
  return fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

function preflight(gateway: RunningGateway, origin: string): Promise<Response> {
  return fetch(gateway.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-api-key' },
  });
}

/** Every access-control-* header of a response, by name. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
}

describe('listed origins', () => {
  it('echoes an allowed origin, with credentials, and varies on Origin', async () => {
    const response = await post(listed, { origin: admin });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { users: [{ id: 'u1' }, { id: 'u2' }] } });
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': admin,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'retry-after',
    });
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('sends no CORS headers to an origin that is not listed, so its browser withholds the answer', async () => {
    const response = await post(listed, { origin: stranger });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers a preflight from an allowed origin with 204 and what it may send', async () => {
    const response = await preflight(listed, shop);
    expect(response.status).toBe(204);
    const headers = corsHeaders(response);
    expect(headers).toMatchObject({ 'access-control-allow-origin': shop, 'access-control-allow-credentials': 'true', 'access-control-max-age': '7200' });
    expect(headers['access-control-allow-methods']?.split(', ')).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
    expect(headers['access-control-allow-headers']?.split(', ')).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'apollographql-client-name', 'apollographql-client-version', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-api-key']),
    );
  });

  it('answers a preflight from any other origin with a bare 204, which the browser fails', async () => {
    const response = await preflight(listed, stranger);
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual({});
  });

  it('carries the headers on a GET query', async () => {
    const response = await fetch(`${listed.url}?${new URLSearchParams({ query: '{ users { id } }' })}`, {
      // Apollo's CSRF prevention lets a GET through only with a header that forces a preflight.
      headers: { origin: shop, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(shop);
  });

  it.each([
    ['SSE', 'text/event-stream'],
    ['multipart', 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json'],
  ])('carries them on the %s transport, refusal included', async (_transport, accept) => {
    const response = await post(listed, { origin: shop, accept, authorization: 'Bearer forged' }, JSON.stringify({ query: 'subscription { x }' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(shop);
  });

  it('carries them on a body over its limit (413), so the page can read why', async () => {
    const response = await post(listed, { origin: shop }, JSON.stringify({ query: '{ users { id } }', variables: { pad: 'x'.repeat(defaultOperationLimits.bodyBytes) } }));
    expect(response.status).toBe(413);
    expect(response.headers.get('access-control-allow-origin')).toBe(shop);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BODY_TOO_LARGE');
  });

  it('carries them on a rate limit refusal (429), with its Retry-After readable', async () => {
    const headers = { origin: shop, 'apollographql-client-name': 'brief' };
    expect((await post(listed, headers)).status).toBe(200);
    const refused = await post(listed, headers);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(corsHeaders(refused)).toMatchObject({ 'access-control-allow-origin': shop, 'access-control-expose-headers': 'retry-after' });
  });
});

describe('any origin (`*`)', () => {
  it('answers every origin with `*` and never allows credentials', async () => {
    const response = await post(anyOrigin, { origin: stranger });
    expect(corsHeaders(response)).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'retry-after' });
  });

  it('answers a preflight with 204 and what a page may send', async () => {
    const response = await preflight(anyOrigin, stranger);
    expect(response.status).toBe(204);
    const headers = corsHeaders(response);
    expect(headers['access-control-allow-origin']).toBe('*');
    expect(headers['access-control-allow-credentials']).toBeUndefined();
    expect(headers['access-control-allow-headers']).toContain('authorization');
  });
});

describe('production', () => {
  it('allows no other origin unless told', async () => {
    const response = await post(production, { origin: shop });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
    const refused = await preflight(production, shop);
    expect([refused.status, corsHeaders(refused)]).toEqual([204, {}]);
  });
});

describe('CORS_ORIGINS', () => {
  const productionEnv = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-length', GATEWAY_SUBGRAPH_SECRET: 'a-production-gateway-secret' };

  it('defaults to any origin in development and none in production', () => {
    expect(loadGatewayConfig({}).corsOrigins).toBe('*');
    expect(loadGatewayConfig({ NODE_ENV: 'test' }).corsOrigins).toBe('*');
    expect(loadGatewayConfig(productionEnv).corsOrigins).toEqual([]);
  });

  it('reads `*` or a comma-separated list of origins', () => {
    expect(loadGatewayConfig({ ...productionEnv, CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadGatewayConfig({ ...productionEnv, CORS_ORIGINS: `${shop}, ${admin},http://localhost:5173` }).corsOrigins).toEqual([shop, admin, 'http://localhost:5173']);
  });

  it('names every entry a browser could never send as its Origin', () => {
    expect(() => loadGatewayConfig({ CORS_ORIGINS: `${shop}/,https://Admin.example,shop.example` })).toThrow(
      /(?=[\s\S]*CORS_ORIGINS: "https:\/\/shop\.example\/")(?=[\s\S]*"https:\/\/Admin\.example")(?=[\s\S]*"shop\.example")/,
    );
  });

  it('refuses `*` among listed origins', () => {
    expect(() => loadGatewayConfig({ CORS_ORIGINS: `${shop},*` })).toThrow(/CORS_ORIGINS: `\*` allows every origin/);
  });
});

describe('WebSocket upgrades and CORS_ORIGINS', () => {
  /** The upgrade's outcome: 'open', or the HTTP status it was refused with. */
  async function upgrade(gateway: RunningGateway, origin?: string): Promise<'open' | number> {
    const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        socket.close();
        resolve('open');
      });
      socket.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  it('refuses with 403 an upgrade whose Origin is not listed, before any socket opens', async () => {
    expect(await upgrade(listed, stranger)).toBe(403);
  });

  it('accepts a listed Origin, and a client that sends no Origin at all', async () => {
    expect(await upgrade(listed, shop)).toBe('open');
    expect(await upgrade(listed)).toBe('open');
  });

  it('accepts any Origin when every origin is allowed', async () => {
    expect(await upgrade(anyOrigin, stranger)).toBe('open');
  });
});
