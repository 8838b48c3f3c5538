import { parse } from 'graphql';
import { drawOverrideConditions, overrideLabels } from '../../src/federation/progressive-override';
import { SubscriptionPlanner } from '../../src/subscriptions/plan';
import { composeFixtures } from '../fixtures/fixture';
import { federationCase, gateways, subgraph } from './harness';

/*
 * @override: a field moves from one subgraph to another; the gateway must
 * ask the new owner only. Progressive @override (a `label`) moves it for a
 * share of requests: `percent(100)` is every request, `percent(0)` none.
 */

const products = [
  { id: 'p1', name: 'Anvil' },
  { id: 'p2', name: 'Feather' },
];

function priceCase(overrideArgs: string) {
  return federationCase([
    subgraph('catalog', ['@key', '@shareable'], `
      type Product @key(fields: "id") { id: ID! name: String! price: Int! }
      type Query { products: [Product!]! }
    `, {
      // The old owner's prices, in euros: an answer from here shows the field was not moved.
      Query: { products: () => products.map((p, i) => ({ ...p, price: (i + 1) * 10 })) },
      Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
    }),
    subgraph('pricing', ['@key', '@override'], `
      type Product @key(fields: "id") { id: ID! price: Int! @override(${overrideArgs}) }
    `, {
      // The new owner's prices, in cents.
      Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, price: ref.id === 'p1' ? 1000 : 2000 }) },
    }),
  ]);
}

describe('@override of a field', () => {
  const graph = priceCase(`from: "catalog"`);

  it.each(gateways)('asks the new owner for the field (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name price } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', price: 1000 }, { name: 'Feather', price: 2000 }] } });
    expect(graph.requests).toEqual({ catalog: 1, pricing: 1 });
  });
});

describe('progressive @override at percent(100)', () => {
  const graph = priceCase(`from: "catalog", label: "percent(100)"`);

  it('asks the new owner on every request (ours)', async () => {
    const answer = await graph.ask('ours', `{ products { name price } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', price: 1000 }, { name: 'Feather', price: 2000 }] } });
    expect(graph.requests).toEqual({ catalog: 1, pricing: 1 });
  });

  // Plain @apollo/gateway never evaluates labels: its query planner starts
  // every label at false and the gateway passes no conditions, so the field
  // stays with the old owner even at percent(100), against the spec.
  it('keeps asking the old owner in plain @apollo/gateway, which is why ours evaluates labels (plain)', async () => {
    const answer = await graph.ask('plain', `{ products { name price } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', price: 10 }, { name: 'Feather', price: 20 }] } });
    expect(graph.requests).toEqual({ catalog: 1, pricing: 0 });
  });
});

describe('progressive @override at percent(0)', () => {
  const graph = priceCase(`from: "catalog", label: "percent(0)"`);

  it.each(gateways)('keeps asking the old owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name price } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', price: 10 }, { name: 'Feather', price: 20 }] } });
    expect(graph.requests).toEqual({ catalog: 1, pricing: 0 });
  });
});

describe('progressive @override at percent(50)', () => {
  const graph = priceCase(`from: "catalog", label: "percent(50)"`);

  it('sends some requests to each owner, each request wholly to one (ours)', async () => {
    const owners = new Set<string>();
    for (let i = 0; i < 40; i += 1) {
      const answer = await graph.ask('ours', `{ products { price } }`);
      const prices = answer.data?.products.map((p: { price: number }) => p.price);
      if (JSON.stringify(prices) === '[1000,2000]') owners.add('pricing');
      else if (JSON.stringify(prices) === '[10,20]') owners.add('catalog');
      else throw new Error(`Mixed owners in one answer: ${JSON.stringify(prices)}`);
    }
    // 40 fair coin tosses all alike happen once in 2^39 runs.
    expect([...owners].sort()).toEqual(['catalog', 'pricing']);
  });
});

describe('progressive @override with a label of the router\'s own', () => {
  const graph = priceCase(`from: "catalog", label: "new-pricing"`);

  // Only the router's customisations can turn such a label on, and this gateway has none.
  it.each(gateways)('keeps asking the old owner (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { price } }`);
    expect(answer).toEqual({ data: { products: [{ price: 10 }, { price: 20 }] } });
  });
});

describe('drawing override conditions', () => {
  const sdl = (label: string) =>
    `type Product @join__type(graph: A, key: "id") { id: ID! price: Int! @join__field(graph: B, override: "a", overrideLabel: "${label}") }`;

  it('reads each distinct label of the supergraph once, sorted', () => {
    expect(overrideLabels(`${sdl('percent(5)')}\n${sdl('beta').replace('Product', 'Offer')}\n${sdl('percent(5)').replace('Product', 'Deal')}`)).toEqual([
      'beta',
      'percent(5)',
    ]);
  });

  it('turns a percent label on when the draw falls below it, and any other label never', () => {
    const labels = ['beta', 'percent(0)', 'percent(12.5)', 'percent(100)'];
    expect([...drawOverrideConditions(labels, () => 0.12)]).toEqual([
      ['beta', false],
      ['percent(0)', false],
      ['percent(12.5)', true],
      ['percent(100)', true],
    ]);
    expect([...drawOverrideConditions(labels, () => 0.125)]).toEqual([
      ['beta', false],
      ['percent(0)', false],
      ['percent(12.5)', false],
      ['percent(100)', true],
    ]);
  });
});

describe('@override of a field that needs another subgraph\'s field', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! grams: Int! }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => [{ id: 'p1', name: 'Anvil', grams: 50_000 }, { id: 'p2', name: 'Feather', grams: 5 }] },
    }),
    subgraph('shipping', ['@key', '@external', '@requires', '@override'], `
      type Product @key(fields: "id") {
        id: ID!
        grams: Int! @external
        shippingCost: Int! @override(from: "legacy") @requires(fields: "grams")
      }
    `, {
      Product: { shippingCost: (product: { grams: number }) => Math.ceil(product.grams / 1000) * 100 },
    }),
    subgraph('legacy', ['@key'], `
      type Product @key(fields: "id") { id: ID! shippingCost: Int! }
    `, {
      Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, shippingCost: 999 }) },
    }),
  ]);

  it.each(gateways)('fetches the requirement and asks the new owner only (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name shippingCost } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', shippingCost: 5000 }, { name: 'Feather', shippingCost: 100 }] } });
    expect(graph.requests).toEqual({ catalog: 1, shipping: 1, legacy: 0 });
  });
});

describe('progressive @override in subscriptions', () => {
  const supergraphAt = (label: string) => {
    const subgraphs = [
      subgraph('catalog', ['@key'], `
        type Product @key(fields: "id") { id: ID! price: Int! }
        type Query { product: Product }
        type Subscription { productChanged: Product! }
      `, {}),
      subgraph('pricing', ['@key', '@override'], `
        type Product @key(fields: "id") { id: ID! price: Int! @override(from: "catalog", label: "${label}") }
      `, {}),
    ];
    return composeFixtures(subgraphs, { catalog: 'http://catalog', pricing: 'http://pricing' });
  };
  const servicesOf = (label: string) => {
    const plan = new SubscriptionPlanner(supergraphAt(label)).plan('subscription { productChanged { price } }', parse('subscription { productChanged { price } }'), undefined);
    return JSON.stringify(plan.rest ?? null).match(/"serviceName":"\w+"/g) ?? [];
  };

  it('plans the field at its new owner at percent(100)', () => {
    expect(servicesOf('percent(100)')).toEqual(['"serviceName":"pricing"']);
  });

  it('plans the field at its old owner at percent(0)', () => {
    expect(servicesOf('percent(0)')).toEqual([]);
  });
});
