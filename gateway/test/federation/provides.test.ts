import { federationCase, gateways, subgraph } from './harness';

/*
 * @provides and @external: a subgraph that can answer some fields of an
 * entity it does not own, on one path only, lets the gateway skip a fetch
 * there, and only there.
 */

const users = [
  { id: 'u1', name: 'Ada', email: 'ada@example.com' },
  { id: 'u2', name: 'Grace', email: 'grace@example.com' },
];
const reviews = [
  { id: 'r1', body: 'Crusty', author: users[0]!, editor: { id: 'u2' } },
  { id: 'r2', body: 'Salty', author: users[1]!, editor: { id: 'u1' } },
];

describe('@provides on a field returning an entity', () => {
  const graph = federationCase([
    // A provided field is answered by two subgraphs, so its owner marks it @shareable.
    subgraph('accounts', ['@key', '@shareable'], `
      type User @key(fields: "id") { id: ID! name: String! @shareable email: String! }
    `, {
      User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null },
    }),
    subgraph('reviews', ['@key', '@external', '@provides'], `
      type User @key(fields: "id") { id: ID! name: String! @external }
      type Review {
        id: ID!
        body: String!
        "Stored with the review, so the author's name comes along."
        author: User! @provides(fields: "name")
        editor: User!
      }
      type Query { reviews: [Review!]! }
    `, {
      // The editor is a bare reference: on that path this subgraph cannot answer the name.
      Query: { reviews: () => reviews.map((r) => ({ ...r, author: { id: r.author.id, name: r.author.name } })) },
    }),
  ]);

  it.each(gateways)('answers the provided field from the providing subgraph alone (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ reviews { body author { id name } } }`);
    expect(answer).toEqual({ data: { reviews: [{ body: 'Crusty', author: { id: 'u1', name: 'Ada' } }, { body: 'Salty', author: { id: 'u2', name: 'Grace' } }] } });
    expect(graph.requests).toEqual({ reviews: 1, accounts: 0 });
  });

  it.each(gateways)('fetches the fields it does not provide from the owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ reviews { author { name email } } }`);
    expect(answer).toEqual({
      data: { reviews: [{ author: { name: 'Ada', email: 'ada@example.com' } }, { author: { name: 'Grace', email: 'grace@example.com' } }] },
    });
    expect(graph.requests).toEqual({ reviews: 1, accounts: 1 });
  });

  it.each(gateways)('fetches the same field from the owner on a path without @provides (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ reviews { author { name } editor { name } } }`);
    expect(answer).toEqual({
      data: { reviews: [{ author: { name: 'Ada' }, editor: { name: 'Grace' } }, { author: { name: 'Grace' }, editor: { name: 'Ada' } }] },
    });
    expect(graph.requests).toEqual({ reviews: 1, accounts: 1 });
  });
});

describe('@provides through a type condition on an abstract field', () => {
  const books = [
    { id: 'b1', title: 'Dune', pages: 412 },
    { id: 'b2', title: 'Emma', pages: 474 },
  ];
  const graph = federationCase([
    subgraph('library', ['@key', '@shareable'], `
      interface Media { id: ID! }
      type Book implements Media @key(fields: "id") { id: ID! title: String! @shareable pages: Int! }
      type Movie implements Media @key(fields: "id") { id: ID! minutes: Int! }
    `, {
      Book: { __resolveReference: (ref: { id: string }) => books.find((b) => b.id === ref.id) ?? null },
      Movie: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, minutes: 117 }) },
    }),
    subgraph('lists', ['@key', '@external', '@provides'], `
      interface Media { id: ID! }
      type Book implements Media @key(fields: "id") { id: ID! title: String! @external }
      type Movie implements Media @key(fields: "id") { id: ID! }
      type Entry { media: Media! @provides(fields: "... on Book { title }") }
      type Query { list: [Entry!]! }
    `, {
      Query: { list: () => [{ media: { __typename: 'Book', id: 'b1', title: 'Dune' } }, { media: { __typename: 'Movie', id: 'm1' } }] },
      Media: { __resolveType: (m: { __typename: string }) => m.__typename },
    }),
  ]);

  it.each(gateways)('answers the provided field of the matching type without asking its owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ list { media { id ... on Book { title } } } }`);
    expect(answer).toEqual({ data: { list: [{ media: { id: 'b1', title: 'Dune' } }, { media: { id: 'm1' } }] } });
    expect(graph.requests).toEqual({ lists: 1, library: 0 });
  });

  it.each(gateways)('asks the owner for what is not provided, for each type (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ list { media { ... on Book { title pages } ... on Movie { minutes } } } }`);
    expect(answer).toEqual({ data: { list: [{ media: { title: 'Dune', pages: 412 } }, { media: { minutes: 117 } }] } });
    expect(graph.requests).toEqual({ lists: 1, library: 1 });
  });
});
