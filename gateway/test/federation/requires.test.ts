import { rewriteFetch, withArgumentRequirementsAliased } from '../../src/federation/argument-requirements';
import { federationCase, gateways, subgraph } from './harness';

/*
 * @requires and @external: a subgraph declares which fields of an entity,
 * owned elsewhere, it needs to resolve one of its own; the gateway fetches
 * them first and sends them in the entity representation.
 */

const products = [
  { id: 'p1', name: 'Anvil', grams: 50_000 },
  { id: 'p2', name: 'Feather', grams: 5 },
];
const find = (id: string) => products.find((p) => p.id === id) ?? null;

describe('@requires on a field that takes arguments', () => {
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! grams: Int! }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => products },
      Product: { __resolveReference: (ref: { id: string }) => find(ref.id) },
    }),
    subgraph('shipping', ['@key', '@external', '@requires'], `
      type Product @key(fields: "id") {
        id: ID!
        grams: Int! @external
        "Cents to ship to a zone: 100 per kilogram started, doubled outside the EU."
        shippingCost(zone: String!): Int! @requires(fields: "grams")
      }
    `, {
      Product: {
        shippingCost: (product: { grams: number }, { zone }: { zone: string }) => Math.ceil(product.grams / 1000) * 100 * (zone === 'EU' ? 1 : 2),
      },
    }),
  ]);

  it.each(gateways)('resolves the field with each alias its own argument, after fetching the required field (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name eu: shippingCost(zone: "EU") us: shippingCost(zone: "US") } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { name: 'Anvil', eu: 5000, us: 10000 },
          { name: 'Feather', eu: 100, us: 200 },
        ],
      },
    });
    expect(graph.requests).toEqual({ catalog: 1, shipping: 1 });
  });

  it.each(gateways)('passes the argument from a variable (%s)', async (kind) => {
    const answer = await graph.ask(kind, `query ($zone: String!) { products { shippingCost(zone: $zone) } }`, { zone: 'US' });
    expect(answer).toEqual({ data: { products: [{ shippingCost: 10000 }, { shippingCost: 200 }] } });
  });
});

const weighed = [
  { id: 'p1', name: 'Anvil', kilograms: 50 },
  { id: 'p2', name: 'Feather', kilograms: 0.005 },
];
const weightIn = (kilograms: number, unit: string) => (unit === 'POUND' ? Math.round(kilograms * 2.20462 * 1000) / 1000 : kilograms);

const catalogWithUnits = subgraph('catalog', ['@key'], `
  enum WeightUnit { KILOGRAM POUND }
  type Product @key(fields: "id") { id: ID! name: String! weight(unit: WeightUnit!): Float! }
  type Query { products: [Product!]! }
`, {
  Query: { products: () => weighed },
  Product: {
    __resolveReference: (ref: { id: string }) => weighed.find((p) => p.id === ref.id) ?? null,
    weight: (product: { kilograms: number }, { unit }: { unit: string }) => weightIn(product.kilograms, unit),
  },
});

const freight = subgraph('freight', ['@key', '@external', '@requires'], `
  enum WeightUnit { KILOGRAM POUND }
  type Product @key(fields: "id") {
    id: ID!
    weight(unit: WeightUnit!): Float! @external
    "The weight as the freight company's form wants it, in kilograms."
    freightLabel: String! @requires(fields: "weight(unit: KILOGRAM)")
  }
`, {
  Product: { freightLabel: (product: { weight: number }) => `${product.weight} kg` },
});

const customs = subgraph('customs', ['@key', '@external', '@requires'], `
  enum WeightUnit { KILOGRAM POUND }
  type Product @key(fields: "id") {
    id: ID!
    weight(unit: WeightUnit!): Float! @external
    "The weight as US customs want it, in pounds."
    customsLabel: String! @requires(fields: "weight(unit: POUND)")
  }
`, {
  Product: { customsLabel: (product: { weight: number }) => `${product.weight} lb` },
});

describe('@requires of a field with arguments', () => {
  const graph = federationCase([catalogWithUnits, freight]);

  it.each(gateways)('sends the required field computed with the argument the directive names (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name freightLabel } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', freightLabel: '50 kg' }, { name: 'Feather', freightLabel: '0.005 kg' }] } });
    expect(graph.requests).toEqual({ catalog: 1, freight: 1 });
  });

  it('keeps the required value apart from the same field the client asked with another argument (ours)', async () => {
    const answer = await graph.ask('ours', `{ products { weight(unit: POUND) freightLabel } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { weight: 110.231, freightLabel: '50 kg' },
          { weight: 0.011, freightLabel: '0.005 kg' },
        ],
      },
    });
    expect(graph.requests).toEqual({ catalog: 1, freight: 1 });
  });

  // @apollo/query-planner merges the required `weight(unit: KILOGRAM)` into
  // the client's `weight(unit: POUND)` (it keys selections by response name
  // alone), so plain @apollo/gateway sends freight a weight in pounds as if
  // it were kilograms. Ours plans over stand-in fields (src/argument-requirements.ts).
  it('sends the client\'s argument in the requirement in plain @apollo/gateway, which is why ours plans requirements apart (plain)', async () => {
    const answer = await graph.ask('plain', `{ products { weight(unit: POUND) freightLabel } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { weight: 110.231, freightLabel: '110.231 kg' },
          { weight: 0.011, freightLabel: '0.011 kg' },
        ],
      },
    });
  });

  it('never shows clients the fields it plans requirements with', async () => {
    const answer = await graph.ask('ours', `{ __type(name: "Product") { fields { name } } }`);
    expect(answer).toEqual({ data: { __type: { fields: [{ name: 'id' }, { name: 'name' }, { name: 'weight' }, { name: 'freightLabel' }] } } });
  });
});

describe('two subgraphs requiring the same field with different arguments', () => {
  const graph = federationCase([catalogWithUnits, freight, customs]);

  it('sends each subgraph the value for its own argument (ours)', async () => {
    const answer = await graph.ask('ours', `{ products { name freightLabel customsLabel } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { name: 'Anvil', freightLabel: '50 kg', customsLabel: '110.231 lb' },
          { name: 'Feather', freightLabel: '0.005 kg', customsLabel: '0.011 lb' },
        ],
      },
    });
    expect(graph.requests).toEqual({ catalog: 1, freight: 1, customs: 1 });
  });

  // The same merge: plain @apollo/gateway fetches `weight` once, in
  // kilograms, and sends customs that value as its weight in pounds.
  it('sends both subgraphs the first requirement\'s value in plain @apollo/gateway (plain)', async () => {
    const answer = await graph.ask('plain', `{ products { name freightLabel customsLabel } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { name: 'Anvil', freightLabel: '50 kg', customsLabel: '50 lb' },
          { name: 'Feather', freightLabel: '0.005 kg', customsLabel: '0.005 lb' },
        ],
      },
    });
  });
});

describe('@requires of a nested field owned by another subgraph', () => {
  const parcels = [
    { id: 'p1', size: { length: 10, width: 20 } },
    { id: 'p2', size: { length: 1, width: 2 } },
  ];
  const graph = federationCase([
    subgraph('catalog', ['@key'], `
      type Product @key(fields: "id") { id: ID! name: String! }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => products },
      Product: { __resolveReference: (ref: { id: string }) => find(ref.id) },
    }),
    subgraph('measures', ['@key', '@shareable'], `
      type Size @shareable { length: Int! width: Int! }
      type Product @key(fields: "id") { id: ID! size: Size! }
    `, {
      Product: { __resolveReference: (ref: { id: string }) => parcels.find((p) => p.id === ref.id) ?? null },
    }),
    subgraph('packing', ['@key', '@external', '@requires', '@shareable'], `
      type Size @shareable { length: Int! width: Int! }
      type Product @key(fields: "id") {
        id: ID!
        size: Size! @external
        boxArea: Int! @requires(fields: "size { length width }")
      }
    `, {
      Product: { boxArea: (product: { size: { length: number; width: number } }) => product.size.length * product.size.width },
    }),
  ]);

  it.each(gateways)('fetches the requirement from its owner, then asks the requiring subgraph (%s)', async (kind) => {
    const answer = await graph.ask(kind, `{ products { name boxArea } }`);
    expect(answer).toEqual({ data: { products: [{ name: 'Anvil', boxArea: 200 }, { name: 'Feather', boxArea: 2 }] } });
    expect(graph.requests).toEqual({ catalog: 1, measures: 1, packing: 1 });
  });
});

describe('@requires of a field with arguments inside a value type', () => {
  const parcels = [
    { id: 'p1', size: { kilograms: 50 } },
    { id: 'p2', size: { kilograms: 0.005 } },
  ];
  const graph = federationCase([
    subgraph('catalog', ['@key', '@shareable'], `
      enum WeightUnit { KILOGRAM POUND }
      type Size @shareable { weight(unit: WeightUnit!): Float! }
      type Product @key(fields: "id") { id: ID! size: Size! }
      type Query { products: [Product!]! }
    `, {
      Query: { products: () => parcels },
      Size: { weight: (size: { kilograms: number }, { unit }: { unit: string }) => weightIn(size.kilograms, unit) },
    }),
    subgraph('customs', ['@key', '@external', '@requires', '@shareable'], `
      enum WeightUnit { KILOGRAM POUND }
      type Size @shareable { weight(unit: WeightUnit!): Float! }
      type Product @key(fields: "id") {
        id: ID!
        size: Size! @external
        customsLabel: String! @requires(fields: "size { weight(unit: POUND) }")
      }
    `, {
      Product: { customsLabel: (product: { size: { weight: number } }) => `${product.size.weight} lb` },
    }),
  ]);

  it('sends the nested value computed with the directive\'s argument, beside the client\'s own (ours)', async () => {
    const answer = await graph.ask('ours', `{ products { size { weight(unit: KILOGRAM) } customsLabel } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { size: { weight: 50 }, customsLabel: '110.231 lb' },
          { size: { weight: 0.005 }, customsLabel: '0.011 lb' },
        ],
      },
    });
    expect(graph.requests).toEqual({ catalog: 1, customs: 1 });
  });

  // As above, the requirement merges into the client's selection.
  it('sends the client\'s argument in the requirement in plain @apollo/gateway (plain)', async () => {
    const answer = await graph.ask('plain', `{ products { size { weight(unit: KILOGRAM) } customsLabel } }`);
    expect(answer).toEqual({
      data: {
        products: [
          { size: { weight: 50 }, customsLabel: '50 lb' },
          { size: { weight: 0.005 }, customsLabel: '0.005 lb' },
        ],
      },
    });
  });
});

describe('planning requirements with arguments apart', () => {
  it('leaves a supergraph whose requirements take no arguments exactly as it was', () => {
    const sdl = `type Product @join__type(graph: A, key: "id") { id: ID! grams: Int! @join__field(graph: B, external: true) cost: Int! @join__field(graph: B, requires: "grams") }`;
    expect(withArgumentRequirementsAliased(sdl)).toBe(sdl);
  });

  it('leaves a fetch that involves no stand-in as it was', () => {
    const variables = { representations: [{ __typename: 'Product', id: 'p1', weight: 1 }] };
    const fetch = rewriteFetch('query($representations:[_Any!]!){_entities(representations:$representations){...on Product{weight}}}', variables);
    expect(fetch.variables).toBe(variables);
  });
});
