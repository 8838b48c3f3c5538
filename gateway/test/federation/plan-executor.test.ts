import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError } from 'graphql';
import { createLogger } from '@commerce/service-kit';
import { PlanExecutingGateway } from '../../src/execution/plan-executing-gateway';
import { composeFixtures, startFixture, type RunningFixture } from '../fixtures/fixture';
import { subgraph } from './harness';

/*
 * Our executor for Apollo's query plans against @apollo/gateway's own executeQueryPlan, on the
 * same supergraph: every answer, byte for byte (field order included), must be the one Apollo
 * gives, including errors, their paths, and nulls propagated from non-null fields.
 */

const products = [
  { id: 'p1', name: 'Anvil', price: 10, kind: 'TOOL' },
  { id: 'p2', name: 'Bucket', price: 3, kind: 'TOOL' },
  { id: 'p3', name: 'Cheese', price: 7, kind: 'FOOD' },
];

const fixtures = [
  subgraph('shop', ['@key', '@shareable'], `
    enum Kind { TOOL FOOD }
    type Product @key(fields: "id") { id: ID! name: String! price: Int! kind: Kind! }
    type User @key(fields: "id") { id: ID! name: String! }
    interface Node { id: ID! }
    type Shelf implements Node { id: ID! label: String }
    union Hit = Product | User | Shelf
    type Query {
      products: [Product!]!
      product(id: ID!): Product
      search: [Hit!]!
      nodes: [Node]
      broken: String
    }
    type Mutation { rename(id: ID!, name: String!): Product }
  `, {
    Query: {
      products: () => products,
      product: (_: unknown, { id }: { id: string }) => products.find((p) => p.id === id) ?? null,
      search: () => [{ __typename: 'User', id: 'u1', name: 'Ada' }, { __typename: 'Product', ...products[2]! }, { __typename: 'Shelf', id: 's1', label: 'top' }],
      nodes: () => [{ __typename: 'Shelf', id: 's1', label: null }, null],
      broken: () => {
        throw new GraphQLError('shop is broken', { extensions: { code: 'BROKEN' } });
      },
    },
    Mutation: { rename: (_: unknown, { id, name }: { id: string; name: string }) => ({ ...products.find((p) => p.id === id)!, name }) },
    Hit: { __resolveType: (hit: { __typename: string }) => hit.__typename },
    Node: { __resolveType: (node: { __typename: string }) => node.__typename },
    Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
    // An unknown user resolves to null without an error: the gateway's own null propagation then reports it.
    User: { __resolveReference: (ref: { id: string }) => (ref.id === 'ghost' ? null : { id: ref.id, name: 'Ada' }) },
  }),
  subgraph('stock', ['@key', '@external', '@requires'], `
    type Product @key(fields: "id") {
      id: ID!
      price: Int! @external
      stock: Int!
      weight: Int
      shipping: Int! @requires(fields: "price")
    }
  `, {
    Product: {
      __resolveReference: (ref: { id: string; price?: number }) => ({ ...ref }),
      // p2's stock fails: a non-null field whose null must propagate in the gateway's answer.
      stock: (p: { id: string }) => {
        if (p.id === 'p2') throw new Error('stock unknown');
        return 5;
      },
      weight: (p: { id: string }) => {
        if (p.id === 'p3') throw new GraphQLError('no scale', { extensions: { code: 'NO_SCALE' } });
        return 2;
      },
      shipping: (p: { price: number }) => p.price * 2,
    },
  }),
  subgraph('reviews', ['@key'], `
    type Product @key(fields: "id") { id: ID! reviews: [Review!]! }
    type Review { body: String! author: User }
    type User @key(fields: "id") { id: ID! reviews: [Review!]! }
  `, {
    Product: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: (p: { id: string }) => (p.id === 'p3' ? [] : [{ body: `good ${p.id}`, author: { id: p.id === 'p2' ? 'ghost' : 'u1' } }, { body: `bad ${p.id}`, author: null }]),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: () => [{ body: 'mine', author: { id: 'u1' } }],
    },
  }),
];

const cases: [string, string, Record<string, unknown>?][] = [
  ['entities across three subgraphs, with @requires', '{ products { id name shipping reviews { body author { name reviews { body } } } } }'],
  ['aliases, repeated fields and named fragments', '{ a: products { n: name id } products { id ...F } products { kind } } fragment F on Product { name t: __typename price }'],
  ['@skip and @include on variables and constants', 'query ($s: Boolean!, $i: Boolean = false) { products { name @skip(if: $s) price @include(if: $i) id @skip(if: false) kind @include(if: false) } }', { s: true }],
  ['@include with its variable set', 'query ($s: Boolean!, $i: Boolean = false) { products { name @skip(if: $s) price @include(if: $i) stock @include(if: $i) } }', { s: false, i: true }],
  ['a non-null field failing in an entity fetch', '{ products { id name stock } }'],
  ['a nullable field failing in an entity fetch', '{ products { id weight } }'],
  ['a root field failing', '{ broken products { id } }'],
  ['an entity resolved to null without an error, under a non-null field', '{ product(id: "p2") { reviews { body author { id name } } } }'],
  ['a missing entity', '{ product(id: "nope") { name stock } p1: product(id: "p1") { name stock weight } }'],
  ['a union with members owned elsewhere', '{ search { __typename ... on Product { name stock } ... on User { name reviews { body } } ... on Shelf { label } } }'],
  ['an interface with nulls', '{ nodes { id __typename ... on Shelf { label } } }'],
  ['__typename at every level, aliased', '{ __typename x: __typename products { __typename y: __typename reviews { __typename } } }'],
  ['a variable used by a subgraph fetch', 'query ($id: ID!) { product(id: $id) { name shipping reviews { body } } }', { id: 'p2' }],
  ['a mutation followed by entity fetches', 'mutation { rename(id: "p1", name: "Hammer") { id name stock shipping } }'],
  ['a response name Object.prototype has (left to Apollo)', '{ products { constructor: name } }'],
  ['introspection beside subgraph fields (left to Apollo)', '{ __schema { queryType { name } } products { id } }'],
];

describe('our plan executor answers as @apollo/gateway does', () => {
  let running: RunningFixture[] = [];
  let ours: PlanExecutingGateway;
  const servers: ApolloServer[] = [];
  const urls = { ours: '', apollo: '' };

  beforeAll(async () => {
    running = await Promise.all(fixtures.map((f) => startFixture(f)));
    const supergraphSdl = composeFixtures(fixtures, Object.fromEntries(running.map((r) => [r.name, r.url])));
    ours = new PlanExecutingGateway({ supergraphSdl });
    for (const [name, gateway] of [['ours', ours], ['apollo', new ApolloGateway({ supergraphSdl })]] as const) {
      const server = new ApolloServer({ gateway, logger: createLogger(`${name}-gateway`, 'silent') });
      servers.push(server);
      urls[name] = (await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } })).url;
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(running.map((r) => r.server.close()));
  });

  const ask = async (url: string, query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: await response.text() };
  };

  // A rest parameter: jest reads a callback with more parameters than the row has as wanting `done`.
  it.each(cases)('%s', async (...[name, query, variables]) => {
    const expected = await ask(urls.apollo, query, variables);
    const before = { ...ours.planStats };
    const actual = await ask(urls.ours, query, variables);
    expect(actual).toEqual(expected);
    // Each case runs one plan, on whichever executor its features call for.
    expect(ours.planStats.ours + ours.planStats.apollo).toBe(before.ours + before.apollo + 1);
    const leftToApollo = name.endsWith('(left to Apollo)');
    expect(ours.planStats.apollo - before.apollo).toBe(leftToApollo ? 1 : 0);
  });

  it('answers the same again from the cached plan', async () => {
    for (const [, query, variables] of cases.slice(0, 5)) {
      expect(await ask(urls.ours, query, variables)).toEqual(await ask(urls.apollo, query, variables));
    }
  });
});
