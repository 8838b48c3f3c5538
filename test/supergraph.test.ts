import { print } from 'graphql';
import { eventually, postGraphQL } from '@commerce/service-kit';
import { recordQueries } from '@commerce/service-kit/testing';
import { OrderOverviewDocument, type OrderOverviewQuery } from './__generated__/operations';
import { demoAccounts, demoPassword, seedDemoData } from '../scripts/demo-data';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
const tokens: Record<string, string> = {};

async function signIn(email: string): Promise<string> {
  const result = await postGraphQL(stack.gatewayUrl, `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: email, p: demoPassword });
  return result.data!.signIn.token;
}

const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });

beforeAll(async () => {
  stack = await startTestStack();
  await seedDemoData(stack);
  for (const key of Object.keys(demoAccounts) as (keyof typeof demoAccounts)[]) tokens[key] = await signIn(demoAccounts[key].email);
});

afterAll(() => stack?.stop());

describe('the supergraph through the gateway', () => {
  it('answers one query with data from all five subgraphs', async () => {
    const mine = await postGraphQL(stack.gatewayUrl, `{ myOrders { id shipment { id } } }`, {}, as('customer'));
    const shipped = mine.data!.myOrders.find((o: { shipment: unknown }) => o.shipment !== null);
    const result = await postGraphQL<OrderOverviewQuery>(stack.gatewayUrl, print(OrderOverviewDocument), { id: shipped.id }, as('customer'));
    expect(result.errors).toBeUndefined();
    const order = result.data!.order!;
    expect(order.customer.name).toBe(demoAccounts.customer.name);
    expect(order.shop.name).toBe('Corner Bakery');
    expect(order.shop.owner.name).toBe(demoAccounts.owner.name);
    expect(order.items.map((item) => item.product.name)).toEqual(['Sourdough loaf', 'Croissant']);
    expect(order.totalCents).toBe(2 * 650 + 280);
    expect(order.status).toBe('READY_FOR_PICKUP');
    expect(order.payment).toEqual({ status: 'AUTHORIZED', amountCents: 2 * 650 + 280 });
    expect(order.shipment).toEqual({ status: 'ASSIGNED', courier: { name: demoAccounts.courier.name } });
  });

  it('keeps another customer out of an order', async () => {
    const signUp = await postGraphQL(stack.gatewayUrl, `mutation { signUp(input: { email: "other@example.com", password: "password123", name: "Other" }) { token } }`);
    const mine = await postGraphQL(stack.gatewayUrl, `{ myOrders { id } }`, {}, as('customer'));
    const result = await postGraphQL(stack.gatewayUrl, `query ($id: ID!) { order(id: $id) { id } }`, { id: mine.data!.myOrders[0].id }, {
      authorization: `Bearer ${signUp.data!.signUp.token}`,
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a bad order with a typed error and writes nothing', async () => {
    const orders = stack.services.orders!.database.dataSource;
    const count = async () => Number((await orders.query('SELECT count(*) AS n FROM orders.orders'))[0].n);
    const before = await count();
    const { data } = await postGraphQL(stack.gatewayUrl, `{ shops { id products { id } } }`);
    const shop = data!.shops[0];
    const result = await postGraphQL(
      stack.gatewayUrl,
      `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
      { input: { shopId: shop.id, items: [{ productId: shop.products[0].id, quantity: 0 }], deliveryAddress: 'x', cardToken: 'tok_visa' } },
      as('customer'),
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it('resolves a list of 50 orders with a fixed number of SQL statements, the same as for a few', async () => {
    const { data } = await postGraphQL(stack.gatewayUrl, `{ shops { id name products { id } } }`);
    const shop = data!.shops.find((s: { name: string }) => s.name === 'Green Grocer');
    const place = () =>
      postGraphQL(
        stack.gatewayUrl,
        `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
        {
          input: {
            shopId: shop.id,
            items: shop.products.slice(0, 3).map((p: { id: string }) => ({ productId: p.id, quantity: 1 })),
            deliveryAddress: '2 Test Road',
            cardToken: 'tok_visa',
          },
        },
        as('customer'),
      );
    const listAll = `{ myOrders { id totalCents customer { name } shop { name owner { name } } items { quantity product { name priceCents shop { name } } } payment { status } shipment { status courier { name } } } }`;
    const dataSources = Object.values(stack.services).map((s) => s.database.dataSource);

    const measure = async () => {
      const { result, queries } = await recordQueries(dataSources, () => postGraphQL(stack.gatewayUrl, listAll, {}, as('customer')));
      expect(result.errors).toBeUndefined();
      return { orders: result.data!.myOrders.length as number, statements: queries.length };
    };
    const few = await measure();
    while ((await postGraphQL(stack.gatewayUrl, `{ myOrders { id } }`, {}, as('customer'))).data!.myOrders.length < 50) {
      await place();
    }
    // Let the saga finish with the new orders first: its consumers share the data sources being counted.
    await eventually(async () => {
      const { data } = await postGraphQL(stack.gatewayUrl, `{ myOrders { status } }`, {}, as('customer'));
      if (data!.myOrders.some((o: { status: string }) => o.status === 'PENDING')) throw new Error('saga still running');
    });
    const many = await measure();
    expect(few.orders).toBeLessThan(5);
    expect(many.orders).toBe(50);
    expect(many.statements).toBe(few.statements);
  });

  it('reports health on the gateway and every subgraph', async () => {
    const gateway = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(gateway.status).toBe(200);
    for (const service of Object.values(stack.services)) {
      const response = await fetch(service.subgraph.url.replace('/graphql', '/health'));
      expect(response.status).toBe(200);
    }
  });
});

describe('a subgraph going down', () => {
  it('costs only its own fields: the rest of the response still arrives, with a located error', async () => {
    const mine = await postGraphQL(stack.gatewayUrl, `{ myOrders { id } }`, {}, as('customer'));
    const id = mine.data!.myOrders[0].id;
    await stack.services.payments!.subgraph.close();
    const result = await postGraphQL(stack.gatewayUrl, `query ($id: ID!) { order(id: $id) { id status customer { name } payment { status } } }`, { id }, as('customer'));
    expect(result.data!.order).toMatchObject({ id, customer: { name: demoAccounts.customer.name }, payment: null });
    expect(result.errors).toEqual([
      { message: 'The payments service is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'payments' } },
    ]);
    const health = (await (await fetch(stack.gatewayUrl.replace('/graphql', '/health'))).json()) as { status: string; subgraphs: Record<string, { status: string }> };
    expect(health.status).toBe('ok');
    expect(health.subgraphs.payments?.status).not.toBe('ok');
  });
});
