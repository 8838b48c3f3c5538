import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '@commerce/service-kit';
import { signUp, type Actor } from './support/graph';
import { startTestStack, type TestStack } from './support/stack';

const run = promisify(execFile);
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(() => stack?.stop());

/**
 * Drops every RabbitMQ connection this stack holds, as a broker restart or a
 * network cut would, leaving other test files' connections alone.
 */
async function cutConnections(namespace: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', '--quiet', '--no-table-headers', 'pid', 'client_properties']);
  const ours = stdout.split('\n').filter((line) => line.includes(`"${namespace}"`));
  for (const line of ours) {
    const pid = line.split('\t')[0]!.trim();
    await run('rabbitmqctl', ['close_connection', pid, 'broker outage test']);
  }
  return ours.length;
}

const count = async (service: string, sql: string, params: unknown[] = []) =>
  Number((await stack.services[service]!.database.dataSource.query(sql, params))[0].n);

describe('a broker outage in the middle of the saga', () => {
  it('loses no order and neither reserves nor charges anything twice', async () => {
    const owner: Actor = await signUp(stack.gatewayUrl, 'SHOP_OWNER');
    const customer: Actor = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const shopId = (await owner.data(`mutation { createShop(input: { name: "Outage Shop" }) { id } }`)).createShop.id;
    const productId = (
      await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
        input: { shopId, name: 'Umbrella', priceCents: 900, stock: 30 },
      })
    ).createProduct.id;
    const place = (cardToken: string) =>
      eventually(async () => {
        const result = await customer.call(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
          input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '1 Storm Road', cardToken },
        });
        if (!result.data) throw new Error(JSON.stringify(result.errors));
        return result.data.placeOrder.id as string;
      });

    const ids: string[] = [await place('tok_visa')];
    const placing = Promise.all(Array.from({ length: 49 }, (_, i) => place(i % 10 === 0 ? 'tok_decline' : 'tok_visa')));
    const cut = await cutConnections(stack.namespace);
    ids.push(...(await placing));
    expect(cut).toBeGreaterThan(0);

    const statuses = await eventually(async () => {
      const { data } = await customer.call<{ myOrders: { id: string; status: string }[] }>(`{ myOrders { id status } }`);
      const pending = data!.myOrders.filter((o) => o.status === 'PENDING').length;
      if (pending > 0) throw new Error(`${pending} orders still pending`);
      return data!.myOrders;
    }, 90_000);

    expect(statuses).toHaveLength(50);
    const confirmed = statuses.filter((o) => o.status === 'CONFIRMED').length;
    expect(confirmed + statuses.filter((o) => o.status === 'REJECTED').length).toBe(50);
    // Declined cards (every tenth order) are released again, so stock falls by exactly the confirmed orders.
    await eventually(async () => {
      const { product } = await owner.data(`query ($id: ID!) { product(id: $id) { stock } }`, { id: productId });
      expect(product.stock).toBe(30 - confirmed);
    });
    const perOrder = (schema: string, type: string) =>
      `SELECT count(*) AS n FROM (SELECT aggregate_id FROM ${schema}.outbox WHERE type = '${type}' GROUP BY aggregate_id HAVING count(*) > 1) twice`;
    expect(await count('catalog', perOrder('catalog', 'inventory.reserved'))).toBe(0);
    expect(await count('payments', perOrder('payments', 'payment.authorized'))).toBe(0);
    expect(await count('payments', `SELECT count(*) AS n FROM payments.payments WHERE status = 'AUTHORIZED'`)).toBe(confirmed);
  });
});
