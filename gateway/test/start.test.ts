import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseGatewayArgs } from '../src/config/args';
import { defaultSupergraphPath, loadGatewayConfig } from '../src/config/gateway-config';
import { startGateway } from '../src/start';
import { accounts } from './fixtures/accounts';
import { reviewsSubgraph } from './fixtures/reviews';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { eventually } from '@commerce/service-kit';
import { jwt, postGraphQL } from './helpers';

let subgraph: RunningFixture;
let directory: string;
let supergraphFile: string;

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PORT: '0',
  LOG_LEVEL: 'silent',
  JWT_SECRET: jwt.secret,
  ...extra,
});

beforeAll(async () => {
  subgraph = await startFixture(accounts);
  directory = await mkdtemp(path.join(tmpdir(), 'gateway-test-'));
  supergraphFile = path.join(directory, 'fixture.graphql');
  await writeFile(supergraphFile, composeFixtures([accounts], { accounts: subgraph.url }));
});

afterAll(async () => {
  await subgraph?.server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('gateway start-up', () => {
  it('serves the supergraph file named by --supergraph', async () => {
    const gateway = await startGateway(['--supergraph', supergraphFile], env());
    try {
      expect((await postGraphQL(gateway.url, '{ users { id } }')).data?.users).toEqual([{ id: 'u1' }, { id: 'u2' }]);
    } finally {
      await gateway.close();
    }
  });

  it('serves the supergraph file named by SUPERGRAPH_PATH, which --supergraph overrides', async () => {
    const other = path.join(directory, 'other.graphql');
    await writeFile(other, composeFixtures([accounts, reviewsSubgraph], { accounts: subgraph.url, reviews: 'http://127.0.0.1:9/graphql' }));
    const fromEnv = await startGateway([], env({ SUPERGRAPH_PATH: supergraphFile }));
    const overridden = await startGateway(['--supergraph', other], env({ SUPERGRAPH_PATH: supergraphFile }));
    try {
      expect([...fromEnv.dataSources.keys()]).toEqual(['accounts']);
      expect([...overridden.dataSources.keys()].sort()).toEqual(['accounts', 'reviews']);
    } finally {
      await fromEnv.close();
      await overridden.close();
    }
  });

  it('routes a subgraph to SUBGRAPH_<NAME>_URL instead of the URL composed into the supergraph', async () => {
    const misrouted = path.join(directory, 'misrouted.graphql');
    await writeFile(misrouted, composeFixtures([accounts], { accounts: 'http://accounts.invalid:4001/graphql' }));
    const gateway = await startGateway(['--supergraph', misrouted], env({ SUBGRAPH_ACCOUNTS_URL: subgraph.url }));
    try {
      expect(gateway.dataSources.get('accounts')?.url).toBe(subgraph.url);
      expect((await postGraphQL(gateway.url, '{ users { name } }')).data?.users).toHaveLength(2);
    } finally {
      await gateway.close();
    }
  });
});

describe('supergraph reload', () => {
  it('serves a changed supergraph file without a restart, and keeps the current one when the new one does not load', async () => {
    const watched = path.join(directory, 'watched.graphql');
    await writeFile(watched, composeFixtures([accounts], { accounts: subgraph.url }));
    const gateway = await startGateway(['--supergraph', watched], env());
    const reviewsQuery = '{ users { reviews { id } } }';
    try {
      expect((await postGraphQL(gateway.url, reviewsQuery)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const reviews = await startFixture(reviewsSubgraph);
      try {
        await writeFile(watched, composeFixtures([accounts, reviewsSubgraph], { accounts: subgraph.url, reviews: reviews.url }));
        await eventually(async () => expect((await postGraphQL(gateway.url, reviewsQuery)).errors).toBeUndefined());
        await writeFile(watched, 'this is not a supergraph');
        // The bad file is polled like any change; the gateway goes on serving the last good one.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect((await postGraphQL(gateway.url, reviewsQuery)).errors).toBeUndefined();
      } finally {
        await reviews.server.close();
      }
    } finally {
      await gateway.close();
    }
  });
});

describe('gateway config', () => {
  it('defaults to port 4000 and the checked-in supergraph', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', supergraphPath: defaultSupergraphPath, subgraphUrls: {} });
    expect(path.relative(path.resolve(__dirname, '../..'), defaultSupergraphPath)).toBe(path.join('schema', 'supergraph.graphql'));
  });

  it('names every bad variable at once', () => {
    expect(() => loadGatewayConfig({ PORT: 'eighty', SUBGRAPH_USERS_URL: 'users:4001', LOG_LEVEL: 'loud' })).toThrow(
      /(?=[\s\S]*PORT)(?=[\s\S]*LOG_LEVEL)(?=[\s\S]*SUBGRAPH_USERS_URL)/,
    );
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('refuses an unknown command-line flag', () => {
    expect(parseGatewayArgs(['--supergraph', 'a.graphql'])).toEqual({ supergraphPath: 'a.graphql' });
    expect(() => parseGatewayArgs(['--supergraf', 'a.graphql'])).toThrow();
  });
});
