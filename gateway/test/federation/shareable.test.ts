import { composeFixtures } from '../fixtures/fixture';
import { federationCase, gateways, subgraph } from './harness';

/*
 * @shareable: a field or value type resolved by several subgraphs. The
 * gateway may ask any of them, should ask the one it is already talking to,
 * and must merge the parts of one shared object that come from different
 * subgraphs.
 */

const products = [
  { id: 'p1', name: 'Anvil', size: { length: 10, width: 20 }, stock: 3 },
  { id: 'p2', name: 'Feather', size: { length: 1, width: 2 }, stock: 0 },
];
const find = (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null;

describe('a @shareable field resolved by two subgraphs', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key', '@shareable'], `
      type Product @key(fields: "id") { id: ID! name: String! @shareable }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => products },
      Product: { __resolveReference: find },
    }),
    subgraph('search', ['@key', '@shareable'], `
      type Product @key(fields: "id") { id: ID! name: String! @shareable stock: Int! }
      type Query { search(text: String!): [Product!]! }
    `, {
      Query: { search: (_: unknown, { text }: { text: string }) => products.filter((p) => p.name.toLowerCase().includes(text)) },
      Product: { __resolveReference: find },
    }),
  ]);

  it.each(gateways)('takes it from the subgraph the query starts in, with no second fetch (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ search(text: "anv") { name stock } }`);
    expect(answer).toEqual({ data: { search: [{ name: 'Anvil', stock: 3 }] } });
    expect(graph.requests).toEqual({ catalog: 0, search: 1 });
  });

  it.each(gateways)('takes it from the other subgraph when the query starts there (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil' }, { name: 'Feather' }] } });
    expect(graph.requests).toEqual({ catalog: 1, search: 0 });
  });
});

describe('a @shareable value type whose fields come from different subgraphs', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key', '@shareable'], `
      type Size @shareable { length: Int! }
      type Product @key(fields: "id") { id: ID! name: String! size: Size! @shareable }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => products },
      Product: { __resolveReference: find },
    }),
    subgraph('packing', ['@key', '@shareable'], `
      type Size @shareable { width: Int! }
      type Product @key(fields: "id") { id: ID! size: Size! @shareable }
    `, {
      Product: { __resolveReference: find },
    }),
  ]);

  it.each(gateways)('merges both subgraphs\' fields into one object (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name size { length width } } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { name: 'Anvil', size: { length: 10, width: 20 } },
          { name: 'Feather', size: { length: 1, width: 2 } },
        ],
      },
    });
    expect(graph.requests).toEqual({ catalog: 1, packing: 1 });
  });

  it.each(gateways)('merges them under aliases too (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { a: size { width } b: size { length w: width } } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { a: { width: 20 }, b: { length: 10, w: 20 } },
          { a: { width: 2 }, b: { length: 1, w: 2 } },
        ],
      },
    });
  });
});

describe('@shareable fields whose nullability differs between subgraphs', () => {
  // Composition merges `String` and `String!` into the nullable `String`.
  const graph = federationCase([
    subgraph('catalog', ['@key', '@shareable'], `
      type Product @key(fields: "id") { id: ID! name: String! @shareable }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => products },
      Product: { __resolveReference: find },
    }),
    subgraph('legacy', ['@key', '@shareable'], `
      type Product @key(fields: "id") { id: ID! name: String @shareable }
      type Query { legacyProducts: [Product!]! }
    `, {
      Query: { legacyProducts: () => [{ id: 'p1', name: null }, { id: 'p2', name: 'Feather' }] },
    }),
  ]);

  it.each(gateways)('answers null where the subgraph asked has none, under the merged nullable type (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ legacyProducts { id name } }`);
    expect(answer).toEqual({ data: { legacyProducts: [{ id: 'p1', name: null }, { id: 'p2', name: 'Feather' }] } });
  });
});

describe('a field two subgraphs resolve without @shareable', () => {
  // The conflict is caught before any gateway serves it: composition refuses the supergraph.
  it('does not compose', () => {
    const conflicting = [
      subgraph('catalog', ['@key'], `type Product @key(fields: "id") { id: ID! name: String! } type Query { products: [Product!]! }`, {}),
      subgraph('search', ['@key'], `type Product @key(fields: "id") { id: ID! name: String! }`, {}),
    ];
    expect(() => composeFixtures(conflicting, { catalog: 'http://catalog', search: 'http://search' })).toThrow(
      'Non-shareable field "Product.name" is resolved from multiple subgraphs: it is resolved from subgraphs "catalog" and "search" and defined as non-shareable in all of them',
    );
  });
});
