import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getOperationAST, parse, type OperationDefinitionNode } from 'graphql';
import { liveChannels } from '@commerce/pubsub';
import { withEnforcedSecurityFeatures } from '../src/authorization/supergraph';
import { SubscriptionPlanner } from '../src/subscriptions/plan';
import { composeFixtures, liveSchemaExtension, type FixtureSubgraph } from './fixtures/fixture';

/**
 * The gateway knows a subscription field's channels only from the
 * supergraph's @live declarations; these must name exactly the channels the
 * subgraphs publish on (liveChannels).
 */

const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
const planner = new SubscriptionPlanner(withEnforcedSecurityFeatures(supergraphSdl));

const operationOf = (document: string): OperationDefinitionNode => getOperationAST(parse(document))!;
const liveFieldOf = (document: string, variables: Record<string, unknown> = {}) => planner.liveFields.of(planner.schema, operationOf(document), variables);

describe('live fields read from the supergraph', () => {
  it('feeds each subscription field from the channels its subgraph publishes on', () => {
    expect(liveFieldOf('subscription { orderUpdated(orderId: "o1") { id } }')).toEqual({
      responseKey: 'orderUpdated',
      channels: [liveChannels.orderUpdated('o1')],
      initialEvent: { orderId: 'o1' },
      // orders declares the statuses that end an order's stream (@liveUntil).
      until: { field: 'status', values: new Set(['DELIVERED', 'CANCELLED', 'REJECTED']) },
    });
    expect(liveFieldOf('subscription { placed: orderPlaced(shopId: "s1") { id } }')).toEqual({
      responseKey: 'placed',
      channels: [liveChannels.shopOrders('s1')],
      initialEvent: null,
      until: null,
    });
    expect(liveFieldOf('subscription { lowStock(shopId: "s1") { stock } }').channels).toEqual([liveChannels.shopLowStock('s1')]);
  });

  it('uses the first declaration whose key the subscriber gave, one channel per distinct id of a list', () => {
    const byProducts = liveFieldOf('subscription($ids: [ID!]) { inventoryChanged(productIds: $ids, shopId: "s1") { stock } }', { ids: ['p1', 'p2', 'p1'] });
    expect(byProducts).toMatchObject({ channels: [liveChannels.productInventory('p1'), liveChannels.productInventory('p2')], initialEvent: null });
    const byShop = liveFieldOf('subscription { inventoryChanged(productIds: [], shopId: "s1") { stock } }');
    expect(byShop.channels).toEqual([liveChannels.shopInventory('s1')]);
  });

  it('refuses a subscription that gives none of the keys with BAD_USER_INPUT', () => {
    expect(() => liveFieldOf('subscription { inventoryChanged { stock } }')).toThrow(
      expect.objectContaining({ message: 'inventoryChanged needs productIds or shopId', extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });

  it('refuses a subscription field no subgraph declared live with BAD_REQUEST', () => {
    const undeclared: FixtureSubgraph = {
      name: 'clock',
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query { now: String }
        type Subscription { ticks: Int! }
      `),
      resolvers: {},
    };
    const clock = new SubscriptionPlanner(composeFixtures([undeclared], { clock: 'http://127.0.0.1:1/graphql' }));
    expect(() => clock.liveFields.of(clock.schema, operationOf('subscription { ticks }'), {})).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
    );
  });

  it('does not load a supergraph whose @live names a key the field does not have', () => {
    const misdeclared: FixtureSubgraph = {
      name: 'clock',
      typeDefs: parse(`
        ${liveSchemaExtension}
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@composeDirective"])
        type Query { now: String }
        type Subscription { ticks(zone: String!): Int! @live(channel: "ticks", key: "timezone") }
      `),
      resolvers: {},
    };
    const sdl = composeFixtures([misdeclared], { clock: 'http://127.0.0.1:1/graphql' });
    expect(() => new SubscriptionPlanner(sdl)).toThrow('Subscription.ticks @live: key must name one of the field\'s arguments (zone)');
  });
});

describe('@liveUntil', () => {
  const clockWith = (until: string): string =>
    composeFixtures(
      [
        {
          name: 'clock',
          typeDefs: parse(`
            ${liveSchemaExtension}
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@composeDirective"])
            type Query { now: String }
            type Tick { at: String! phase: String! }
            type Subscription { ticks(zone: String!): Tick! @live(channel: "ticks", key: "zone") ${until} }
          `),
          resolvers: {},
        },
      ],
      { clock: 'http://127.0.0.1:1/graphql' },
    );

  it('reads which values of which field end the stream', () => {
    const clock = new SubscriptionPlanner(clockWith('@liveUntil(field: "phase", values: ["STOPPED", "BROKEN"])'));
    const field = clock.liveFields.of(clock.schema, operationOf('subscription { ticks(zone: "utc") { at } }'), {});
    expect(field.until).toEqual({ field: 'phase', values: new Set(['STOPPED', 'BROKEN']) });
  });

  it('leaves a field without it running until the client leaves', () => {
    const clock = new SubscriptionPlanner(clockWith(''));
    expect(clock.liveFields.of(clock.schema, operationOf('subscription { ticks(zone: "utc") { at } }'), {}).until).toBeNull();
  });

  it('does not load a supergraph whose @liveUntil watches a field the type does not have', () => {
    expect(() => new SubscriptionPlanner(clockWith('@liveUntil(field: "state", values: ["STOPPED"])'))).toThrow(
      'Subscription.ticks @liveUntil: field must name a field of Tick',
    );
  });
});
