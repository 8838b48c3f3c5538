/**
 * The four subgraphs of the public federation benchmark, as @apollo/subgraph
 * schemas over the fixed data in data.ts, each served by a bare node:http
 * server. The data never changes, so a subgraph answers a request body it has
 * answered before from memory: the subgraphs then cost little more than
 * their HTTP handling, as the original's Rust subgraphs do, and the gateway
 * stays the thing measured. Every request is still counted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { author, inStock, products, reviews, reviewsOfAnyUser, users, type Review } from './data';

const federation = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

interface Representation {
  [field: string]: unknown;
}

const reviewOut = (review: Review) => ({ id: review.id, body: review.body, productUpc: review.productUpc });

export const subgraphDefinitions: Record<string, { typeDefs: string; resolvers: Record<string, Record<string, unknown>> }> = {
  accounts: {
    typeDefs: `${federation}
      type Query { me: User user(id: ID!): User users: [User] }
      type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
    resolvers: {
      Query: {
        me: () => users[0],
        user: (_: unknown, { id }: { id: string }) => users.find((u) => u.id === id) ?? null,
        users: () => users,
      },
      User: { __resolveReference: ({ id }: Representation) => users.find((u) => u.id === id) ?? null },
    },
  },
  inventory: {
    typeDefs: `${federation}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (product: Representation) => ({ ...product, inStock: inStock.get(String(product.upc)) ?? null }),
        // Free above 1000, else half the weight: the original's rule.
        shippingEstimate: ({ price, weight }: { price?: number | null; weight?: number | null }) =>
          price == null ? null : price > 1000 ? 0 : weight == null ? null : Math.floor(weight / 2),
      },
    },
  },
  products: {
    typeDefs: `${federation}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
    resolvers: {
      Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
      Product: { __resolveReference: ({ upc }: Representation) => products.find((p) => p.upc === upc) ?? null },
    },
  },
  reviews: {
    typeDefs: `${federation}
      type Review @key(fields: "id") { id: ID! body: String product: Product author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
      type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: ({ id }: Representation) => {
          const review = reviews.find((r) => r.id === id);
          return review ? reviewOut(review) : null;
        },
        product: (review: { productUpc: string }) => ({ upc: review.productUpc }),
        author: () => ({ id: author.id, username: author.username }),
      },
      User: {
        __resolveReference: ({ id }: Representation) => ({ id }),
        reviews: () => reviewsOfAnyUser.map(reviewOut),
      },
      Product: {
        __resolveReference: ({ upc }: Representation) => ({ upc }),
        reviews: ({ upc }: { upc: string }) => reviews.filter((r) => r.productUpc === upc).map(reviewOut),
      },
    },
  },
};

export const subgraphNames = Object.keys(subgraphDefinitions);

export function subgraphSchema(name: string): GraphQLSchema {
  const definition = subgraphDefinitions[name]!;
  return buildSubgraphSchema({ typeDefs: parse(definition.typeDefs), resolvers: definition.resolvers as never });
}

/** Answers remembered per request body; a bound keeps a run that sends unbounded variety from growing without end. */
const maxRemembered = 10_000;

export interface RunningSubgraph {
  name: string;
  url: string;
  requests(): number;
  close(): Promise<void>;
}

export async function startSubgraph(name: string): Promise<RunningSubgraph> {
  const schema = subgraphSchema(name);
  const documents = new Map<string, DocumentNode | readonly Error[]>();
  const answers = new Map<string, string>();
  let count = 0;

  const answer = async (raw: string): Promise<string> => {
    const remembered = answers.get(raw);
    if (remembered !== undefined) return remembered;
    const { query, variables, operationName } = JSON.parse(raw) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    let document = documents.get(query);
    if (!document) {
      const parsed = parse(query);
      const errors = validate(schema, parsed);
      document = errors.length ? errors : parsed;
      documents.set(query, document);
    }
    const result = Array.isArray(document)
      ? { errors: document.map((e) => ({ message: e.message })) }
      : await execute({ schema, document: document as DocumentNode, variableValues: variables, operationName });
    const text = JSON.stringify(result);
    if (answers.size >= maxRemembered) answers.clear();
    answers.set(raw, text);
    return text;
  };

  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    count += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      answer(Buffer.concat(chunks).toString('utf8')).then(
        (text) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text),
        (error: unknown) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
