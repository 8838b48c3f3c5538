import { GraphQLError } from 'graphql';
import { federationCase, gateways, subgraph } from './harness';

/*
 * @interfaceObject: a subgraph that does not know an interface's
 * implementations sees the interface as an object type, adds fields to every
 * implementation at once, and may return references to it; the gateway must
 * learn the concrete type from the subgraph that owns the interface.
 */

const media = [
  { id: 'm1', __typename: 'Book', title: 'Dune', author: 'Herbert' },
  { id: 'm2', __typename: 'Movie', title: 'Alien', director: 'Scott' },
];
const find = (ref: { id: string }) => media.find((m) => m.id === ref.id) ?? null;

const library = subgraph('library', ['@key'], `
  interface Media @key(fields: "id") { id: ID! title: String! }
  type Book implements Media @key(fields: "id") { id: ID! title: String! author: String! }
  type Movie implements Media @key(fields: "id") { id: ID! title: String! director: String! }
  type Query { media: [Media!]! }
`, {
  Query: { media: () => media },
  Media: { __resolveReference: find, __resolveType: (m: { __typename: string }) => m.__typename },
  Book: { __resolveReference: find },
  Movie: { __resolveReference: find },
});

const rating = (id: string) => ({ id, stars: id === 'm1' ? 4 : 5 });
const ratings = subgraph('ratings', ['@key', '@interfaceObject'], `
  type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int! }
  type Query { topRated: [Media!]! }
`, {
  Query: { topRated: () => [rating('m2'), rating('m1')] },
  Media: { __resolveReference: (ref: { id: string }) => rating(ref.id) },
});

describe('@interfaceObject adding a field to every implementation', () => {
  const graph = federationCase([library, ratings]);

  it.each(gateways)('adds the field to each concrete type returned by the owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ media { __typename title stars ... on Book { author } } }`);
    expect(answer).toEqual({
      data: {
        media: [
          { __typename: 'Book', title: 'Dune', stars: 4, author: 'Herbert' },
          { __typename: 'Movie', title: 'Alien', stars: 5 },
        ],
      },
    });
    expect(graph.requests).toEqual({ library: 1, ratings: 1 });
  });

  it.each(gateways)('answers the concrete __typename of references it returns, asking the owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ topRated { __typename id stars } }`);
    expect(answer).toEqual({
      data: {
        topRated: [
          { __typename: 'Movie', id: 'm2', stars: 5 },
          { __typename: 'Book', id: 'm1', stars: 4 },
        ],
      },
    });
  });

  it.each(gateways)('resolves type conditions on its references through the owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ topRated { stars ... on Movie { director } ... on Book { author } } }`);
    expect(answer).toEqual({ data: { topRated: [{ stars: 5, director: 'Scott' }, { stars: 4, author: 'Herbert' }] } });
  });
});

describe('a non-resolvable @interfaceObject', () => {
  const graph = federationCase([
    library,
    ratings,
    subgraph('editorial', ['@key', '@interfaceObject'], `
      type Media @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
      type Pick { note: String! media: Media! }
      type Query { staffPicks: [Pick!]! }
    `, {
      Query: { staffPicks: () => [{ note: 'Timeless', media: { id: 'm1' } }, { note: 'Scary', media: { id: 'm2' } }] },
    }),
  ]);

  it.each(gateways)('resolves the references it returns through the interface owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ staffPicks { note media { __typename id title stars ... on Movie { director } } } }`);
    expect(answer).toEqual({
      data: {
        staffPicks: [
          { note: 'Timeless', media: { __typename: 'Book', id: 'm1', title: 'Dune', stars: 4 } },
          { note: 'Scary', media: { __typename: 'Movie', id: 'm2', title: 'Alien', stars: 5, director: 'Scott' } },
        ],
      },
    });
  });

  it.each(gateways)('asks the interface owner for the concrete __typename alone (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ staffPicks { media { __typename } } }`);
    expect(answer).toEqual({ data: { staffPicks: [{ media: { __typename: 'Book' } }, { media: { __typename: 'Movie' } }] } });
    expect(graph.requests).toEqual({ library: 1, ratings: 0, editorial: 1 });
  });

  it.each(gateways)('answers the key alone without asking anyone else (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ staffPicks { media { id } } }`);
    expect(answer).toEqual({ data: { staffPicks: [{ media: { id: 'm1' } }, { media: { id: 'm2' } }] } });
    expect(graph.requests).toEqual({ library: 0, ratings: 0, editorial: 1 });
  });
});

describe('errors from an @interfaceObject subgraph below a list of mixed types', () => {
  const graph = federationCase([
    library,
    subgraph('reviews', ['@key', '@interfaceObject'], `
      type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int }
    `, {
      Media: {
        __resolveReference: (ref: { id: string }) => ref,
        stars: (media: { id: string }) => {
          if (media.id === 'm2') throw new GraphQLError('Ratings withheld', { extensions: { code: 'FORBIDDEN' } });
          return 4;
        },
      },
    }),
    subgraph('search', ['@key'], `
      type Book @key(fields: "id") { id: ID! }
      type Movie @key(fields: "id") { id: ID! }
      type Pen { colour: String! }
      union Hit = Book | Movie | Pen
      type Query { hits: [Hit!]! }
    `, {
      Query: { hits: () => [{ __typename: 'Pen', colour: 'red' }, { __typename: 'Book', id: 'm1' }, { __typename: 'Movie', id: 'm2' }] },
      Hit: { __resolveType: (hit: { __typename: string }) => hit.__typename },
    }),
  ]);
  const query = `{ hits { ... on Pen { colour } ... on Book { stars } ... on Movie { stars } } }`;
  const data = { hits: [{ colour: 'red' }, { stars: 4 }, { stars: null }] };

  it('reports the error at the item that failed (ours)', async () => {
    expect(await graph.ask('ours', query)).toEqual({
      data,
      errors: [{ message: 'Ratings withheld', path: ['hits', 2, 'stars'], extensions: { code: 'FORBIDDEN', serviceName: 'reviews' } }],
    });
  });

  // The same miscount as in entities.test.ts: the Pen got no representation,
  // so plain @apollo/gateway puts the Movie's error on the Book before it.
  it('reports the error on the item before in plain @apollo/gateway (plain)', async () => {
    expect(await graph.ask('plain', query)).toEqual({
      data,
      errors: [{ message: 'Ratings withheld', path: ['hits', 1, 'stars'], extensions: { code: 'FORBIDDEN', serviceName: 'reviews' } }],
    });
  });
});
