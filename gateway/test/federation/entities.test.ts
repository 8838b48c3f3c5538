import { GraphQLError } from 'graphql';
import { federationCase, gateways, subgraph } from './harness';

/*
 * Entities across subgraphs: chains of entity fetches, lists with nulls,
 * entities another subgraph cannot find, and errors from one subgraph.
 * Errors keep the path of the field in the client's query, not of the
 * subgraph's `_entities` call.
 */

const products = [
  { id: 'p1', name: 'Anvil', vendorId: 'v1' },
  { id: 'p2', name: 'Feather', vendorId: 'v2' },
  { id: 'p3', name: 'Hammer', vendorId: 'v1' },
];
const vendors = [
  { id: 'v1', name: 'Acme', countryCode: 'DE' },
  { id: 'v2', name: 'Birdland', countryCode: 'FR' },
];
const countries = [
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
];

describe('a chain of entities across four subgraphs', () => {
  const graph = federationCase([
    subgraph('orders', ['@key'], `
      type Product @key(fields: "id") { id: ID! }
      type Order { id: ID! product: Product! }
      type Query { orders: [Order!]! }
    `, {
      Query: { orders: () => ['p1', 'p2', 'p3', 'p1'].map((id, i) => ({ id: `o${i + 1}`, product: { id } })) },
    }),
    subgraph('catalog', ['@key'], `
      type Vendor @key(fields: "id") { id: ID! }
      type Product @key(fields: "id") { id: ID! name: String! vendor: Vendor! }
    `, {
      Product: {
        __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null,
        vendor: (product: { vendorId: string }) => ({ id: product.vendorId }),
      },
    }),
    subgraph('vendors', ['@key'], `
      type Country @key(fields: "code") { code: String! }
      type Vendor @key(fields: "id") { id: ID! name: String! country: Country! }
    `, {
      Vendor: {
        __resolveReference: (ref: { id: string }) => vendors.find((v) => v.id === ref.id) ?? null,
        country: (vendor: { countryCode: string }) => ({ code: vendor.countryCode }),
      },
    }),
    subgraph('geo', ['@key'], `
      type Country @key(fields: "code") { code: String! name: String! }
    `, {
      Country: { __resolveReference: (ref: { code: string }) => countries.find((c) => c.code === ref.code) ?? null },
    }),
  ]);

  it.each(gateways)('follows the chain with one batched fetch per subgraph (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ orders { id product { name vendor { name country { name } } } } }`);
    expect(answer).toEqual({
      data: {
        orders: [
          { id: 'o1', product: { name: 'Anvil', vendor: { name: 'Acme', country: { name: 'Germany' } } } },
          { id: 'o2', product: { name: 'Feather', vendor: { name: 'Birdland', country: { name: 'France' } } } },
          { id: 'o3', product: { name: 'Hammer', vendor: { name: 'Acme', country: { name: 'Germany' } } } },
          { id: 'o4', product: { name: 'Anvil', vendor: { name: 'Acme', country: { name: 'Germany' } } } },
        ],
      },
    });
    expect(graph.requests).toEqual({ orders: 1, catalog: 1, vendors: 1, geo: 1 });
  });
});

describe('a list of entity references with nulls and unknown entities', () => {
  const resolved: string[] = [];
  const graph = federationCase([
    subgraph('orders', ['@key'], `
      type Product @key(fields: "id") { id: ID! }
      type Query { basket: [Product]! }
    `, {
      Query: { basket: () => [{ id: 'p1' }, null, { id: 'gone' }, { id: 'p2' }] },
    }),
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String }
    `, {
      Product: {
        __resolveReference: (ref: { id: string }) => {
          resolved.push(ref.id);
          return products.find((p) => p.id === ref.id) ?? null;
        },
      },
    }),
  ]);

  beforeEach(() => {
    resolved.length = 0;
  });

  it.each(gateways)('keeps the nulls in place, asks only for the references, and nulls the fields of an entity not found (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ basket { id name } }`);
    expect(answer).toEqual({
      data: { basket: [{ id: 'p1', name: 'Anvil' }, null, { id: 'gone', name: null }, { id: 'p2', name: 'Feather' }] },
    });
    expect(resolved).toEqual(['p1', 'gone', 'p2']);
    expect(graph.requests).toEqual({ orders: 1, catalog: 1 });
  });
});

describe('an error from one subgraph on a nullable field', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
      type Query { products: [Product]! }
    `, {
      Query: { products: () => products },
    }),
    subgraph('stock', ['@key'], `
      type Product @key(fields: "id") {
        id: ID!
        "Null, with an error, when the warehouse cannot say."
        stock: Int
        "Must always be known; an error nulls the whole product."
        sku: String!
      }
    `, {
      Product: {
        __resolveReference: (ref: { id: string }) => ref,
        stock: (product: { id: string }) => {
          if (product.id === 'p2') throw new GraphQLError('Warehouse unreachable', { extensions: { code: 'NOT_FOUND' } });
          return product.id === 'p1' ? 3 : 7;
        },
        sku: (product: { id: string }) => {
          if (product.id === 'p3') throw new GraphQLError('No SKU yet', { extensions: { code: 'NOT_FOUND' } });
          return `SKU-${product.id}`;
        },
      },
    }),
  ]);

  it.each(gateways)('nulls only that field and reports the error at its path in the query (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name stock } }`);
    expect(answer).toEqual({
      data: { products: [{ name: 'Anvil', stock: 3 }, { name: 'Feather', stock: null }, { name: 'Hammer', stock: 7 }] },
      errors: [{ message: 'Warehouse unreachable', path: ['products', 1, 'stock'], extensions: { code: 'NOT_FOUND', serviceName: 'stock' } }],
    });
  });

  it.each(gateways)('nulls the nearest nullable parent of a failed non-null field (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name sku } }`);
    expect(answer).toEqual({
      data: { products: [{ name: 'Anvil', sku: 'SKU-p1' }, { name: 'Feather', sku: 'SKU-p2' }, null] },
      errors: [{ message: 'No SKU yet', path: ['products', 2, 'sku'], extensions: { code: 'NOT_FOUND', serviceName: 'stock' } }],
    });
  });
});

describe('errors from an entity fetch below lists, type conditions and repeated entities', () => {
  const graph = federationCase([
    subgraph('library', ['@key'], `
      interface Item { id: ID! }
      type Book implements Item @key(fields: "id") { id: ID! title: String! }
      type Pen implements Item { id: ID! }
      type Query { items: [Item]! }
    `, {
      Query: {
        items: () => [
          { __typename: 'Pen', id: 'x1' },
          { __typename: 'Book', id: 'b1', title: 'Dune' },
          null,
          { __typename: 'Pen', id: 'x2' },
          { __typename: 'Book', id: 'b2', title: 'Emma' },
          { __typename: 'Book', id: 'b1', title: 'Dune' },
        ],
      },
      Item: { __resolveType: (item: { __typename: string }) => item.__typename },
    }),
    subgraph('reviews', ['@key'], `
      type Review { stars: Int }
      type Book @key(fields: "id") { id: ID! reviews: [Review!]! }
    `, {
      Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, reviews: [{ stars: 5 }, { stars: 1 }] }) },
      Review: {
        stars: (review: { stars: number }, _: unknown, __: unknown, info: { path: { prev?: { prev?: { prev?: { key: string | number } } } } }) => {
          // The second review of the entity at _entities index 1 (b2) fails.
          if (review.stars === 1 && info.path.prev?.prev?.prev?.key === 1) throw new GraphQLError('Stars hidden', { extensions: { code: 'FORBIDDEN' } });
          return review.stars;
        },
      },
    }),
  ]);

  const query = `{ items { id ... on Book { reviews { stars } } } }`;
  const data = {
    items: [
      { id: 'x1' },
      { id: 'b1', reviews: [{ stars: 5 }, { stars: 1 }] },
      null,
      { id: 'x2' },
      { id: 'b2', reviews: [{ stars: 5 }, { stars: null }] },
      { id: 'b1', reviews: [{ stars: 5 }, { stars: 1 }] },
    ],
  };

  it('reports the error at the path of the field in the query (ours)', async () => {
    const answer = await graph.ask('ours', query);
    expect(answer).toEqual({
      data,
      errors: [{ message: 'Stars hidden', path: ['items', 4, 'reviews', 1, 'stars'], extensions: { code: 'FORBIDDEN', serviceName: 'reviews' } }],
    });
    expect(graph.requests).toEqual({ library: 1, reviews: 1 });
  });

  // Plain @apollo/gateway reads `_entities[1]` as the second non-null item
  // (x1, b1, x2, b2, b1), though only the Books were sent: the error lands on
  // the first b1 while the null it explains sits in b2. Ours corrects the
  // index before the gateway reads it (src/entity-error-paths.ts).
  it('reports the error on the wrong item in plain @apollo/gateway, which is why ours corrects it (plain)', async () => {
    const answer = await graph.ask('plain', query);
    expect(answer).toEqual({
      data,
      errors: [{ message: 'Stars hidden', path: ['items', 1, 'reviews', 1, 'stars'], extensions: { code: 'FORBIDDEN', serviceName: 'reviews' } }],
    });
  });
});

describe('an entity another subgraph fails to resolve', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
      type Query { products: [Product]! }
    `, {
      Query: { products: () => products },
    }),
    subgraph('stock', ['@key'], `
      type Product @key(fields: "id") { id: ID! stock: Int }
    `, {
      Product: {
        // Async, as a real lookup is: the subgraph fails that one entity, not the whole `_entities` list.
        __resolveReference: async (ref: { id: string }) => {
          if (ref.id === 'p2') throw new GraphQLError('Unknown to the warehouse', { extensions: { code: 'NOT_FOUND' } });
          return { id: ref.id, stock: 1 };
        },
      },
    }),
  ]);

  it.each(gateways)('nulls that entity\'s fields from it and reports the error at the entity (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { id stock } }`);
    expect(answer).toEqual({
      data: { products: [{ id: 'p1', stock: 1 }, { id: 'p2', stock: null }, { id: 'p3', stock: 1 }] },
      errors: [{ message: 'Unknown to the warehouse', path: ['products', 1], extensions: { code: 'NOT_FOUND', serviceName: 'stock' } }],
    });
  });

  it.each(gateways)('keeps aliases of the entity\'s fields apart (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ all: products { key: id inStock: stock again: stock } }`);
    expect(answer.data).toEqual({
      all: [
        { key: 'p1', inStock: 1, again: 1 },
        { key: 'p2', inStock: null, again: null },
        { key: 'p3', inStock: 1, again: 1 },
      ],
    });
    expect(answer.errors?.map((e) => e.path)).toEqual([['all', 1]]);
  });

  it.each(gateways)('asks the other subgraph only when @include lets its field in (%s)', async (kind) => {
    const query = `query ($withStock: Boolean!) { products { id stock @include(if: $withStock) } }`;
    expect(await graph.ask(kind, query, { withStock: false })).toEqual({ data: { products: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] } });
    expect(graph.requests).toEqual({ catalog: 1, stock: 0 });
  });
});

describe('an entity fetch that fails as a whole', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
      type Query { products: [Product]! }
    `, {
      Query: { products: () => products },
    }),
    subgraph('stock', ['@key'], `
      type Product @key(fields: "id") { id: ID! stock: Int }
    `, {
      Product: {
        // Synchronous: @apollo/subgraph then fails the whole `_entities` field, with the path ["_entities"].
        __resolveReference: () => {
          throw new GraphQLError('Warehouse offline', { extensions: { code: 'NOT_FOUND' } });
        },
      },
    }),
  ]);
  const data = { products: [{ id: 'p1', stock: null }, { id: 'p2', stock: null }, { id: 'p3', stock: null }] };

  it('nulls the fields it would have answered and reports the error without a path (ours)', async () => {
    const answer = await graph.ask('ours', `{ products { id stock } }`);
    expect(answer).toEqual({ data, errors: [{ message: 'Warehouse offline', extensions: { code: 'NOT_FOUND', serviceName: 'stock' } }] });
  });

  // Plain @apollo/gateway appends the subgraph's path to its own internal
  // one: "@" and "_entities" are nowhere in the response, so no client can
  // follow that path. No single field is to blame, so ours leaves the path
  // out, as the GraphQL spec allows.
  it('reports the error at an internal path in plain @apollo/gateway (plain)', async () => {
    const answer = await graph.ask('plain', `{ products { id stock } }`);
    expect(answer).toEqual({
      data,
      errors: [{ message: 'Warehouse offline', path: ['products', '@', '_entities'], extensions: { code: 'NOT_FOUND', serviceName: 'stock' } }],
    });
  });
});
