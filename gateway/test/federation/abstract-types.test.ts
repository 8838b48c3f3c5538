import { federationCase, gateways, subgraph } from './harness';

/*
 * Unions and interfaces across subgraphs: members owned elsewhere, type
 * conditions answered by another subgraph, and an abstract type whose
 * members differ from one subgraph to the next.
 */

const products = [{ id: 'p1', name: 'Anvil' }];
const authors = [{ id: 'a1', name: 'Ada' }];
const books = [
  { id: 'b1', title: 'Dune' },
  { id: 'b2', title: 'Emma' },
];

describe('a union whose members are entities owned by other subgraphs', () => {
  const graph = federationCase([
    subgraph('search', ['@key'], `
      type Product @key(fields: "id") { id: ID! }
      type Author @key(fields: "id") { id: ID! }
      union Hit = Product | Author
      type Query { search: [Hit!]! }
    `, {
      Query: { search: () => [{ __typename: 'Author', id: 'a1' }, { __typename: 'Product', id: 'p1' }] },
      Hit: { __resolveType: (hit: { __typename: string }) => hit.__typename },
    }),
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
    `, {
      Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
    }),
    subgraph('people', ['@key'], `
      type Author @key(fields: "id") { id: ID! name: String! }
    `, {
      Author: { __resolveReference: (ref: { id: string }) => authors.find((a) => a.id === ref.id) ?? null },
    }),
  ]);

  it.each(gateways)('fetches each member\'s fields from its owner, keeping the order (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ search { __typename ... on Product { name } ... on Author { name } } }`);
    expect(answer).toEqual({ data: { search: [{ __typename: 'Author', name: 'Ada' }, { __typename: 'Product', name: 'Anvil' }] } });
    expect(graph.requests).toEqual({ search: 1, catalog: 1, people: 1 });
  });

  it.each(gateways)('asks only the owners of the members a query selects (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ search { ... on Author { name } } }`);
    expect(answer).toEqual({ data: { search: [{ name: 'Ada' }, {}] } });
    expect(graph.requests).toEqual({ search: 1, catalog: 0, people: 1 });
  });
});

describe('an interface whose implementations get fields from another subgraph', () => {
  const graph = federationCase([
    subgraph('library', ['@key'], `
      interface Item { id: ID! }
      type Book implements Item @key(fields: "id") { id: ID! title: String! }
      type Pen implements Item { id: ID! colour: String! }
      type Query { items: [Item!]! }
    `, {
      Query: { items: () => [{ __typename: 'Pen', id: 'x1', colour: 'blue' }, { __typename: 'Book', ...books[0]! }] },
      Item: { __resolveType: (item: { __typename: string }) => item.__typename },
    }),
    subgraph('reviews', ['@key'], `
      type Book @key(fields: "id") { id: ID! reviewCount: Int! }
    `, {
      Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, reviewCount: ref.id === 'b1' ? 7 : 0 }) },
    }),
  ]);

  it.each(gateways)('fetches the other subgraph\'s fields for the matching implementations only (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ items { id ... on Book { title reviewCount } ... on Pen { colour } } }`);
    expect(answer).toEqual({ data: { items: [{ id: 'x1', colour: 'blue' }, { id: 'b1', title: 'Dune', reviewCount: 7 }] } });
    expect(graph.requests).toEqual({ library: 1, reviews: 1 });
  });
});

describe('an interface implemented by different types in different subgraphs', () => {
  const graph = federationCase([
    subgraph('library', ['@key'], `
      interface Node { id: ID! }
      type Book implements Node @key(fields: "id") { id: ID! title: String! }
      type Query { libraryNodes: [Node!]! }
    `, {
      Query: { libraryNodes: () => books.map((b) => ({ __typename: 'Book', ...b })) },
      Node: { __resolveType: (n: { __typename: string }) => n.__typename },
      Book: { __resolveReference: (ref: { id: string }) => books.find((b) => b.id === ref.id) ?? null },
    }),
    subgraph('shop', ['@key'], `
      interface Node { id: ID! }
      type Book implements Node @key(fields: "id") { id: ID! price: Int! }
      type Gift implements Node { id: ID! wrapping: String! }
      type Query { shopNodes: [Node!]! }
    `, {
      Query: { shopNodes: () => [{ __typename: 'Gift', id: 'g1', wrapping: 'red' }, { __typename: 'Book', id: 'b2', price: 12 }] },
      Node: { __resolveType: (n: { __typename: string }) => n.__typename },
      Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, price: ref.id === 'b1' ? 9 : 12 }) },
    }),
  ]);

  it.each(gateways)('answers type conditions on a type the starting subgraph does not implement (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ libraryNodes { id __typename ... on Gift { wrapping } ... on Book { title price } } }`);
    expect(answer).toEqual({
      data: {
        libraryNodes: [
          { id: 'b1', __typename: 'Book', title: 'Dune', price: 9 },
          { id: 'b2', __typename: 'Book', title: 'Emma', price: 12 },
        ],
      },
    });
    expect(graph.requests).toEqual({ library: 1, shop: 1 });
  });

  it.each(gateways)('mixes implementations from the other side the same way (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ shopNodes { __typename id ... on Gift { wrapping } ... on Book { title } } }`);
    expect(answer).toEqual({
      data: {
        shopNodes: [
          { __typename: 'Gift', id: 'g1', wrapping: 'red' },
          { __typename: 'Book', id: 'b2', title: 'Emma' },
        ],
      },
    });
    expect(graph.requests).toEqual({ library: 1, shop: 1 });
  });
});

describe('a union with different members in different subgraphs', () => {
  const graph = federationCase([
    subgraph('library', ['@key'], `
      type Book @key(fields: "id") { id: ID! title: String! }
      union Hit = Book
      type Query { libraryHits: [Hit!]! }
    `, {
      Query: { libraryHits: () => [{ __typename: 'Book', ...books[1]! }] },
      Hit: { __resolveType: (hit: { __typename: string }) => hit.__typename },
      Book: { __resolveReference: (ref: { id: string }) => books.find((b) => b.id === ref.id) ?? null },
    }),
    subgraph('cinema', ['@key'], `
      type Book @key(fields: "id") { id: ID! }
      type Movie { id: ID! director: String! }
      union Hit = Book | Movie
      type Query { cinemaHits: [Hit!]! }
    `, {
      Query: { cinemaHits: () => [{ __typename: 'Movie', id: 'm1', director: 'Scott' }, { __typename: 'Book', id: 'b1' }] },
      Hit: { __resolveType: (hit: { __typename: string }) => hit.__typename },
    }),
  ]);

  it.each(gateways)('answers every member from the subgraph that returned it, and the rest from their owners (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ cinemaHits { __typename ... on Movie { director } ... on Book { title } } libraryHits { ... on Movie { director } ... on Book { title } } }`);
    expect(answer).toEqual({
      data: {
        cinemaHits: [
          { __typename: 'Movie', director: 'Scott' },
          { __typename: 'Book', title: 'Dune' },
        ],
        libraryHits: [{ title: 'Emma' }],
      },
    });
    expect(graph.requests).toEqual({ library: 2, cinema: 1 });
  });
});
