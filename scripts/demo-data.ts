/**
 * Demo data for the quickstart: one account of each role, two shops with
 * products, and a few orders in different states. Shops, products and orders
 * go through the public API (so catalog's events feed orders' read model as in
 * production); only what has no public path yet is written through the owning
 * subgraph's repository: the ADMIN account (never self-assigned) and, until the
 * order saga exists, the payments and shipments of the demo orders.
 */
import { postGraphQL, type Logger } from '@commerce/service-kit';
import { userRepository } from '@commerce/users/src/data/user-repository';
import { hashPassword } from '@commerce/users/src/passwords';
import { paymentRepository } from '@commerce/payments/src/data/payment-repository';
import { shipmentRepository } from '@commerce/logistics/src/data/shipment-repository';
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

/** Retries `fn` until it resolves: events reach read models a moment after the write commits. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
  await settle(stack, placed, await signIn(url, demoAccounts.admin.email), ownerToken);
  logger?.info({ shops: shops.length, orders: placed.length }, 'demo data created');
  return true;
}

/**
 * Moves the first demo order on to a shipment with a courier and leaves the
 * second CONFIRMED. The order saga will do this by itself; until then the
 * payments and shipments are written through their subgraphs' repositories.
 */
async function settle(stack: Stack, orderIds: string[], adminToken: string, ownerToken: string): Promise<void> {
  const url = stack.gatewayUrl;
  const move = (id: string, status: string, token: string) =>
    call(url, `mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id, s: status }, token);
  const payments = paymentRepository(stack.services.payments!.database.dataSource);
  const shipments = shipmentRepository(stack.services.logistics!.database.dataSource);
  const courier = await userRepository(stack.services.users!.database.dataSource).findByEmail(demoAccounts.courier.email);

  for (const [index, orderId] of orderIds.entries()) {
    const { order } = await call(url, `query ($id: ID!) { order(id: $id) { totalCents } }`, { id: orderId }, adminToken);
    await payments.recordPayment({ orderId, amountCents: order.totalCents, status: 'AUTHORIZED', providerReference: `demo_${index}` });
    await move(orderId, 'CONFIRMED', adminToken);
    if (index > 0) continue;
    await move(orderId, 'PREPARING', ownerToken);
    await move(orderId, 'READY_FOR_PICKUP', ownerToken);
    const shipment = await shipments.createShipment(orderId);
    await shipments.assignCourier(shipment.id, courier!.id, new Date(Date.now() + 20 * 60_000));
    await shipments.recordPosition(shipment.id, { lat: 52.52, lng: 13.405 });
  }
}
