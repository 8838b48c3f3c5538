/**
 * Demo data for the quickstart: one account of each role, two shops with
 * products, and orders in different states. Everything goes through the public
 * graph and the order saga, as in production, except the ADMIN account, which
 * no one can sign up for and is written through the users repository.
 */
import { eventually, postGraphQL, type Logger } from '@commerce/service-kit';
import { hashPassword, userRepository } from '@commerce/users';
import type { Stack } from './stack';

export const demoPassword = 'password123';

export const demoAccounts = {
  customer: { email: 'customer@example.com', name: 'Casey Customer', role: 'CUSTOMER' },
  owner: { email: 'owner@example.com', name: 'Olive Owner', role: 'SHOP_OWNER' },
  courier: { email: 'courier@example.com', name: 'Cory Courier', role: 'COURIER' },
  admin: { email: 'admin@example.com', name: 'Ada Admin', role: 'ADMIN' },
} as const;

const shops = [
  {
    name: 'Corner Bakery',
    products: [
      ['Sourdough loaf', 650, 40],
      ['Croissant', 280, 120],
      ['Cinnamon bun', 350, 60],
      ['Rye bread', 590, 25],
      ['Baguette', 320, 80],
    ],
  },
  {
    name: 'Green Grocer',
    products: [
      ['Apples (1 kg)', 399, 200],
      ['Bananas (1 kg)', 249, 150],
      ['Tomatoes (500 g)', 299, 90],
      ['Spinach (250 g)', 199, 4],
      ['Avocado', 149, 70],
    ],
  },
] as const;

async function call<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await postGraphQL<T>(url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  if (result.errors?.length || !result.data) throw new Error(`seed: ${result.errors?.[0]?.message ?? 'no data'}`);
  return result.data;
}

async function signIn(url: string, email: string): Promise<string> {
  const data = await call(url, `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: email, p: demoPassword });
  return data.signIn.token;
}

/** Creates the demo data unless it exists already. Returns false when there was nothing to do. */
export async function seedDemoData(stack: Stack, logger?: Logger): Promise<boolean> {
  const url = stack.gatewayUrl;
  const users = userRepository(stack.services.users!.database.dataSource);
  if (await users.findByEmail(demoAccounts.customer.email)) return false;

  const passwordHash = await hashPassword(demoPassword);
  await users.create({ ...demoAccounts.admin, passwordHash });
  for (const account of [demoAccounts.customer, demoAccounts.owner, demoAccounts.courier]) {
    await call(url, `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, {
      input: { email: account.email, name: account.name, role: account.role, password: demoPassword },
    });
  }
  const ownerToken = await signIn(url, demoAccounts.owner.email);
  const customerToken = await signIn(url, demoAccounts.customer.email);

  const productIds: Record<string, string[]> = {};
  for (const shop of shops) {
    const { createShop } = await call(url, `mutation ($input: CreateShopInput!) { createShop(input: $input) { id } }`, { input: { name: shop.name } }, ownerToken);
    productIds[createShop.id] = [];
    for (const [name, priceCents, stock] of shop.products) {
      const { createProduct } = await call(
        url,
        `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
        { input: { shopId: createShop.id, name, priceCents, stock } },
        ownerToken,
      );
      productIds[createShop.id]!.push(createProduct.id);
    }
  }

  const placed: string[] = [];
  for (const [shopId, ids] of Object.entries(productIds)) {
    const input = {
      shopId,
      items: [
        { productId: ids[0], quantity: 2 },
        { productId: ids[1], quantity: 1 },
      ],
      deliveryAddress: '1 Demo Street, Springfield',
      cardToken: 'tok_visa',
    };
    const { placeOrder } = await eventually(() =>
      call(url, `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input }, customerToken),
    );
    placed.push(placeOrder.id);
  }
  await settle(url, placed, ownerToken, await signIn(url, demoAccounts.courier.email));
  logger?.info({ shops: shops.length, orders: placed.length }, 'demo data created');
  return true;
}

/**
 * Lets the saga confirm both demo orders, then takes the first one on to a
 * courier: the shop prepares it and a courier accepts the shipment and reports
 * a position. Everything goes through the public graph.
 */
async function settle(url: string, orderIds: string[], ownerToken: string, courierToken: string): Promise<void> {
  const statusOf = async (id: string) =>
    (await call(url, `query ($id: ID!) { order(id: $id) { status shipment { id } } }`, { id }, ownerToken)).order;
  for (const id of orderIds) {
    await eventually(async () => {
      const { status } = await statusOf(id);
      if (status !== 'CONFIRMED') throw new Error(`order ${id} is ${status}, waiting for CONFIRMED`);
    });
  }
  const [first] = orderIds;
  for (const status of ['PREPARING', 'READY_FOR_PICKUP']) {
    await call(url, `mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id: first, s: status }, ownerToken);
  }
  const shipmentId = await eventually(async () => {
    const { shipment } = await statusOf(first!);
    if (!shipment) throw new Error('waiting for the shipment');
    return shipment.id as string;
  });
  await call(url, `mutation ($id: ID!) { acceptShipment(id: $id) { status } }`, { id: shipmentId }, courierToken);
  await call(url, `mutation ($id: ID!) { reportPosition(shipmentId: $id, lat: 52.52, lng: 13.405) { status } }`, { id: shipmentId }, courierToken);
}
