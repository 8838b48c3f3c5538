import { federationCase, gateways, subgraph } from './harness';

/*
 * @key: an entity may be keyed differently in each subgraph; the gateway
 * must travel between key sets through a subgraph that knows both.
 */

const products = [
  { id: 'p1', sku: 'ANV-1', name: 'Anvil', stock: 3 },
  { id: 'p2', sku: 'FTH-2', name: 'Feather', stock: 0 },
];
const byId = (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null;
const bySku = (ref: { sku: string }) => products.find((p) => p.sku === ref.sku) ?? null;

describe('an entity keyed by id in one subgraph and by sku in another', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => products.map(({ id, name }) => ({ id, name })) },
      Product: { __resolveReference: byId },
    }),
    subgraph('warehouse', ['@key'], `
      type Product @key(fields: "sku") { sku: String! stock: Int! }
      type Query { lowStock: [Product!]! }
    `, {
      Query: { lowStock: () => products.filter((p) => p.stock < 1).map(({ sku, stock }) => ({ sku, stock })) },
      Product: { __resolveReference: bySku },
    }),
    subgraph('bridge', ['@key'], `
      type Product @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! }
    `, {
      Product: { __resolveReference: (ref: { id?: string; sku?: string }) => (ref.id ? byId({ id: ref.id }) : bySku({ sku: ref.sku! })) },
    }),
  ]);

  it.each(gateways)('reaches the id-keyed fields from the sku-keyed subgraph through the one that knows both keys (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ lowStock { sku stock name } }`);
    expect(answer).toEqual({ data: { lowStock: [{ sku: 'FTH-2', stock: 0, name: 'Feather' }] } });
    expect(graph.requests).toEqual({ warehouse: 1, bridge: 1, catalog: 1 });
  });

  it.each(gateways)('reaches the sku-keyed fields from the id-keyed subgraph the same way (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { id name sku stock } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { id: 'p1', name: 'Anvil', sku: 'ANV-1', stock: 3 },
          { id: 'p2', name: 'Feather', sku: 'FTH-2', stock: 0 },
        ],
      },
    });
    expect(graph.requests).toEqual({ catalog: 1, bridge: 1, warehouse: 1 });
  });
});

describe('an entity with a composite key', () => {
  const shipments = [
    { number: '1', carrier: { code: 'DHL' }, status: 'IN_TRANSIT', eta: '2026-12-09' },
    { number: '1', carrier: { code: 'UPS' }, status: 'DELIVERED', eta: '2026-12-01' },
  ];
  const find = (ref: { number: string; carrier: { code: string } }) =>
    shipments.find((s) => s.number === ref.number && s.carrier.code === ref.carrier.code) ?? null;
  const graph = federationCase([
    subgraph('orders', ['@key', '@shareable'], `
      type Carrier @shareable { code: String! }
      type Shipment @key(fields: "number carrier { code }") { number: String! carrier: Carrier! status: String! }
      type Query { shipments: [Shipment!]! }
    `, {
      Query: { shipments: () => shipments.map(({ number, carrier, status }) => ({ number, carrier, status })) },
      Shipment: { __resolveReference: find },
    }),
    subgraph('tracking', ['@key', '@shareable'], `
      type Carrier @shareable { code: String! }
      type Shipment @key(fields: "number carrier { code }") { number: String! carrier: Carrier! eta: String! }
    `, {
      Shipment: { __resolveReference: (ref: { number: string; carrier: { code: string } }) => { const s = find(ref); return s && { ...ref, eta: s.eta }; } },
    }),
  ]);

  it.each(gateways)('tells apart entities that share part of the key (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ shipments { number carrier { code } status eta } }`);
    expect(answer).toEqual({
      data: {
        shipments: [
          { number: '1', carrier: { code: 'DHL' }, status: 'IN_TRANSIT', eta: '2026-12-09' },
          { number: '1', carrier: { code: 'UPS' }, status: 'DELIVERED', eta: '2026-12-01' },
        ],
      },
    });
    expect(graph.requests).toEqual({ orders: 1, tracking: 1 });
  });
});

describe('a key that its subgraph cannot resolve', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
    `, {
      Product: { __resolveReference: byId },
    }),
    subgraph('promotions', ['@key'], `
      type Product @key(fields: "id", resolvable: false) { id: ID! }
      type Promotion { title: String! product: Product! }
      type Query { promotions: [Promotion!]! }
    `, {
      Query: { promotions: () => [{ title: 'Winter sale', product: { id: 'p2' } }] },
    }),
  ]);

  it.each(gateways)('fetches the referenced entity from the subgraph that resolves it (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ promotions { title product { id name } } }`);
    expect(answer).toEqual({ data: { promotions: [{ title: 'Winter sale', product: { id: 'p2', name: 'Feather' } }] } });
    expect(graph.requests).toEqual({ promotions: 1, catalog: 1 });
  });
});
