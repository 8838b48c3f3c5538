import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { createLogger } from '@commerce/service-kit';
import { createGateway, type RunningGateway } from '../../src/server';
import { composeFixtures, startFixture, type FixtureSubgraph, type RunningFixture } from '../fixtures/fixture';
import { jwt } from '../helpers';

/** Which gateway a case asks: ours, or @apollo/gateway exactly as shipped. */
export type GatewayKind = 'ours' | 'plain';
export const gateways: GatewayKind[] = ['ours', 'plain'];

/** A response exactly as the gateway sent it, for literal comparison. */
export interface Answer {
  // Each case reads whatever shape its query selected.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * A subgraph of a federation case: the SDL gets the federation 2.7 @link
 * with exactly the directives it imports, as a real subgraph's schema does.
 */
export function subgraph(name: string, imports: string[], sdl: string, resolvers: object): FixtureSubgraph {
  const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ${JSON.stringify(imports)})`;
  return { name, typeDefs: parse(`${link}\n${sdl}`), resolvers };
}

export interface FederationCase {
  /** Sends `query` to the chosen gateway and returns the whole response body. */
  ask(kind: GatewayKind, query: string, variables?: Record<string, unknown>): Promise<Answer>;
  /** HTTP requests each subgraph received, by name, since the last `ask`. */
  readonly requests: Record<string, number>;
  /** The composed supergraph, for cases that inspect it. */
  readonly supergraphSdl: string;
}

/**
 * Starts the subgraphs as real HTTP servers on port 0, composes them, and
 * serves the supergraph through our gateway and through a plain
 * ApolloGateway + ApolloServer with no customisation, for the enclosing
 * describe block. Request counts cover the last `ask` only.
 */
export function federationCase(subgraphs: FixtureSubgraph[]): FederationCase {
  let running: RunningFixture[] = [];
  let ours: RunningGateway | undefined;
  let plain: ApolloServer | undefined;
  let plainUrl = '';
  let supergraphSdl = '';

  beforeAll(async () => {
    running = await Promise.all(subgraphs.map((s) => startFixture(s)));
    supergraphSdl = composeFixtures(subgraphs, Object.fromEntries(running.map((r) => [r.name, r.url])));
    ours = await createGateway({ supergraphSdl, jwt, logger: createLogger('gateway', 'silent') });
    plain = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }), logger: createLogger('plain-gateway', 'silent') });
    plainUrl = (await startStandaloneServer(plain, { listen: { port: 0, host: '127.0.0.1' } })).url;
  });

  afterAll(async () => {
    await ours?.close();
    await plain?.stop();
    await Promise.all(running.map((r) => r.server.close()));
  });

  return {
    async ask(kind, query, variables) {
      for (const r of running) r.received.length = 0;
      const response = await fetch(kind === 'ours' ? ours!.url : plainUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer;
    },
    get requests() {
      return Object.fromEntries(running.map((r) => [r.name, r.received.length]));
    },
    get supergraphSdl() {
      return supergraphSdl;
    },
  };
}
