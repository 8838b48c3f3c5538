import { federationCase, gateways, subgraph } from './harness';

/*
 * Root mutation fields run one after another, in the order written, even
 * when they live in different subgraphs (GraphQL spec, "Normal and Serial
 * Execution"); the entity fields of each result come after it.
 */

describe('mutations in two subgraphs in one operation', () => {
  const log: string[] = [];
  const graph = federationCase([
    subgraph('carts', ['@key'], `
      type Cart @key(fields: "id") { id: ID! items: Int! }
      type Query { cart: Cart }
      type Mutation { addItem: Cart! }
    `, {
      Query: { cart: () => null },
      Mutation: {
        addItem: async () => {
          log.push('addItem started');
          await new Promise((resolve) => setTimeout(resolve, 50));
          log.push('addItem done');
          return { id: 'c1', items: log.filter((l) => l === 'addItem done').length };
        },
      },
    }),
    subgraph('checkout', ['@key'], `
      type Cart @key(fields: "id") { id: ID! total: Int! }
      type Mutation { placeOrder: String! }
    `, {
      Cart: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, total: 42 }) },
      Mutation: {
        placeOrder: () => {
          log.push('placeOrder');
          return 'o1';
        },
      },
    }),
  ]);

  beforeEach(() => {
    log.length = 0;
  });

  it.each(gateways)('runs them in the order written, one after another (%s)', async (kind) => {
    const answer = await graph.ask(kind, `mutation { first: addItem { items total } order: placeOrder second: addItem { items } }`);
    expect(answer).toEqual({ data: { first: { items: 1, total: 42 }, order: 'o1', second: { items: 2 } } });
    expect(log).toEqual(['addItem started', 'addItem done', 'placeOrder', 'addItem started', 'addItem done']);
  });
});
