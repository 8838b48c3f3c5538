/**
 * The web app in a real browser (Debian's Chromium through playwright-core)
 * against the whole supergraph on real Postgres, RabbitMQ and Redis, with the
 * simulated courier at a fast pace. Access tokens live 30 seconds here, so
 * every flow also runs across token refreshes and the gateway closing live
 * connections whose token expired.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { postGraphQL } from '@commerce/service-kit';
import { actorFor, signUp, testPassword, type Actor } from '../../test/support/graph';
import { startAppStack, type AppStack } from './support/app-stack';
import { desktop, launchBrowser, phone, screenshot, seriousViolations } from './support/browser';

jest.setTimeout(180_000);

let app: AppStack;
let browser: Browser;
let owner: Actor;
let shopId: string;
const contexts: BrowserContext[] = [];
/** Orders placed through the browser, for the pages that show one. */
const placed: { customerEmail?: string; deliveredOrderUrl?: string } = {};

const liveTimeout = 60_000;

async function newPage(viewport = desktop): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${app.web.url}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(testPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin');
}

async function createProduct(name: string, priceCents: number, stock: number): Promise<string> {
  const { createProduct } = await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { shopId, name, priceCents, stock },
  });
  return createProduct.id;
}

/** A fresh API session for an account (test tokens live 30 seconds). */
async function apiSignIn(actor: Actor): Promise<Actor> {
  const { data } = await postGraphQL<{ signIn: { token: string } }>(
    app.stack.gatewayUrl,
    `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }`,
    { email: actor.email, password: testPassword },
  );
  return actorFor(app.stack.gatewayUrl, actor.id, actor.email, data!.signIn.token);
}

const moveOrder = `mutation ($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;

/** A product's card on the storefront. */
const productCard = (page: Page, name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
/** An order's entry on the shop dashboard. */
const orderEntry = (page: Page, orderId: string) => page.getByRole('listitem').filter({ hasText: orderId.slice(0, 8) });
const orderIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

async function fillCart(page: Page, products: string[], address: string, cardToken?: string): Promise<void> {
  await page.getByRole('link', { name: 'Test Bakery' }).click();
  for (const product of products) await page.getByRole('button', { name: `Add ${product} to cart` }).click();
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByLabel('Delivery address').fill(address);
  if (cardToken) await page.getByLabel('Card token').fill(cardToken);
}

beforeAll(async () => {
  app = await startAppStack({ JWT_ACCESS_TTL_SECONDS: '30' });
  browser = await launchBrowser();
  owner = await signUp(app.stack.gatewayUrl, 'SHOP_OWNER');
  shopId = (await owner.data(`mutation { createShop(input: { name: "Test Bakery", lowStockThreshold: 5 }) { id } }`)).createShop.id;
  await createProduct('Sourdough', 650, 20);
  await createProduct('Croissant', 280, 100);
  await createProduct('Spinach', 199, 3);
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

describe('the web app', () => {
  let ownerPage: Page;

  it('lets a customer order two products and watch the order reach Delivered without a reload, while the owner sees it arrive and its stock drop, moves it on, and a shopper sees the stock change', async () => {
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    placed.customerEmail = customer.email;
    ownerPage = await newPage(desktop);
    await signIn(ownerPage, owner.email);
    await ownerPage.getByRole('heading', { name: 'Orders at Test Bakery' }).waitFor();
    const ownerStock = ownerPage.getByRole('row', { name: /Sourdough/ });
    await ownerStock.getByText('20 in stock').waitFor();

    const shopper = await newPage(phone);
    await shopper.goto(`${app.web.url}/shops/${shopId}`);
    await productCard(shopper, 'Sourdough').getByText('20 in stock').waitFor();

    const page = await newPage(phone);
    let loads = 0;
    page.on('load', () => (loads += 1));
    await signIn(page, customer.email);
    await fillCart(page, ['Sourdough', 'Croissant'], '1 Test Street, Berlin');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    const orderId = orderIdOf(page);

    // The owner: the order appears, and the reserved stock leaves the shelf, without a reload.
    const entry = orderEntry(ownerPage, orderId);
    await entry.getByText('Confirmed').waitFor({ timeout: liveTimeout });
    await ownerStock.getByText('19 in stock').waitFor({ timeout: liveTimeout });
    await productCard(shopper, 'Sourdough').getByText('19 in stock').waitFor({ timeout: liveTimeout });

    await entry.getByRole('button', { name: 'Preparing', exact: true }).click();
    await entry.getByRole('button', { name: 'Ready for pickup', exact: true }).click();

    const status = page.getByRole('status');
    await status.filter({ hasText: 'Delivered' }).waitFor({ timeout: liveTimeout });
    await page.getByText(`Courier: COURIER ${app.courier.email}`).waitFor();
    await page.getByRole('img', { name: /Courier's last reported position/ }).waitFor();
    const timeline = await page.getByRole('list').filter({ hasText: 'Pending' }).first().innerText();
    for (const word of ['Pending', 'Confirmed', 'Preparing', 'Ready for pickup', 'Out for delivery', 'Delivered']) expect(timeline).toContain(word);
    await page.getByText('Paid').waitFor();
    expect(loads).toBe(1);
    await screenshot(page, 'order-live-phone');
    placed.deliveredOrderUrl = page.url();
  });

  it('shows the owner an order placed elsewhere as it arrives, and moves it on', async () => {
    const other = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const { shop } = await other.data(`query ($id: ID!) { shop(id: $id) { products { id name } } }`, { id: shopId });
    const croissant = shop.products.find((p: { name: string }) => p.name === 'Croissant').id;
    const { placeOrder } = await other.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { shopId, items: [{ productId: croissant, quantity: 3 }], deliveryAddress: '2 Other Road', cardToken: 'tok_visa' },
    });
    const entry = orderEntry(ownerPage, placeOrder.id);
    await entry.getByRole('button', { name: 'Preparing', exact: true }).click({ timeout: liveTimeout });
    await entry.getByText('Preparing').first().waitFor();
    await entry.getByRole('button', { name: 'Ready for pickup', exact: true }).waitFor();
  });

  it('lets the owner edit a product\'s name and price from the dashboard; the storefront shows it and new orders are charged it', async () => {
    const productId = await createProduct('Baguette', 300, 50);
    const page = await newPage(desktop);
    await signIn(page, owner.email);
    await page.getByRole('row', { name: /Baguette/ }).getByRole('button', { name: 'Edit Baguette' }).click();
    const form = page.getByRole('form', { name: 'Edit Baguette' });
    await form.getByLabel('Price', { exact: true }).fill('3.45');
    await form.getByLabel('Name', { exact: true }).fill('French baguette');
    await form.getByRole('button', { name: 'Save Baguette' }).click();
    await page.getByRole('row', { name: /French baguette/ }).getByRole('button', { name: 'Edit French baguette' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit French baguette' }).evaluate((button) => button === document.activeElement)).toBe(true);

    const shopper = await newPage(phone);
    await shopper.goto(`${app.web.url}/shops/${shopId}`);
    await productCard(shopper, 'French baguette').getByText('€3.45').waitFor();

    // orders prices an order from its read model, which the edit's event reaches asynchronously.
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const deadline = Date.now() + liveTimeout;
    let totalCents = 0;
    while (totalCents !== 345 && Date.now() < deadline) {
      if (totalCents !== 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { totalCents } }`, {
        input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '5 Price Street', cardToken: 'tok_visa' },
      });
      totalCents = placeOrder.totalCents;
    }
    expect(totalCents).toBe(345);
  });

  it('says in a sentence that a declined card rejected the order', async () => {
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const page = await newPage(desktop);
    await signIn(page, customer.email);
    await fillCart(page, ['Croissant'], '3 Decline Avenue', 'tok_decline_insufficient_funds');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByRole('status').filter({ hasText: 'Rejected' }).waitFor({ timeout: liveTimeout });
    expect(await page.getByRole('alert').innerText()).toMatch(/Your card was declined, so the order was not placed/);
  });

  it('refuses a quantity over the stock, saying how many are left', async () => {
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const page = await newPage(phone);
    await signIn(page, customer.email);
    await fillCart(page, ['Spinach'], '4 Leafy Lane');
    await page.getByLabel('Quantity of Spinach').fill('5');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('alert').filter({ hasText: 'Only 3 Spinach left in stock' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/cart');
  });

  it('keeps following an order while its access token expires and the live connection is renewed', async () => {
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const page = await newPage(desktop);
    const closes: string[] = [];
    page.on('websocket', (socket) => socket.on('close', () => closes.push(socket.url())));
    await signIn(page, customer.email);
    await fillCart(page, ['Sourdough'], '5 Patience Street');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\//);
    const orderId = orderIdOf(page);
    await page.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: liveTimeout });
    // Past the 30 s token: the gateway closes the socket (4403) and the app reconnects with the refreshed token.
    await page.waitForTimeout(35_000);
    expect(closes.length).toBeGreaterThanOrEqual(1);
    const shop = await apiSignIn(owner);
    for (const status of ['PREPARING', 'READY_FOR_PICKUP']) await shop.data(moveOrder, { id: orderId, status });
    await page
      .getByRole('status')
      .filter({ hasText: 'Delivered' })
      .waitFor({ timeout: liveTimeout })
      .catch(async (error: unknown) => {
        await screenshot(page, 'failure-token-expiry');
        throw error;
      });
    expect(await page.getByRole('list').filter({ hasText: 'Pending' }).first().innerText()).toContain('Out for delivery');
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('follows an order over multipart HTTP where the browser has no WebSocket', async () => {
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const page = await newPage(desktop);
    await page.addInitScript(() => {
      delete (window as { WebSocket?: unknown }).WebSocket;
    });
    let sockets = 0;
    page.on('websocket', () => (sockets += 1));
    await signIn(page, customer.email);
    await fillCart(page, ['Croissant'], '6 Fallback Road');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: liveTimeout });
    const shop = await apiSignIn(owner);
    await shop.data(moveOrder, { id: orderIdOf(page), status: 'PREPARING' });
    await page.getByRole('status').filter({ hasText: 'Preparing' }).waitFor({ timeout: liveTimeout });
    expect(sockets).toBe(0);
  });

  it('shows a banner while the network is gone, and catches up by itself when it is back', async () => {
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const page = await newPage(phone);
    await signIn(page, customer.email);
    await fillCart(page, ['Croissant'], '7 Tunnel Street');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: liveTimeout });
    await page.context().setOffline(true);
    await page.getByRole('alert').filter({ hasText: 'You are offline' }).waitFor();
    await screenshot(page, 'offline-phone');
    // Moved on while this browser cannot hear it.
    const shop = await apiSignIn(owner);
    await shop.data(moveOrder, { id: orderIdOf(page), status: 'PREPARING' });
    await page.context().setOffline(false);
    await page.getByRole('alert').filter({ hasText: 'You are offline' }).waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Preparing' }).waitFor({ timeout: liveTimeout });
    await shop.data(moveOrder, { id: orderIdOf(page), status: 'READY_FOR_PICKUP' });
    await page.getByRole('status').filter({ hasText: 'Delivered' }).waitFor({ timeout: liveTimeout });
  });

  it('passes axe-core with no serious or critical violation on every page, at phone and desktop widths', async () => {
    const courier = await signUp(app.stack.gatewayUrl, 'COURIER');
    const pages: { name: string; who?: string; path: string; ready: (page: Page) => Promise<unknown>; prepare?: (page: Page) => Promise<unknown> }[] = [
      { name: 'signin', path: '/signin', ready: (p) => p.getByRole('button', { name: 'Sign in' }).waitFor() },
      { name: 'signup', path: '/signup', ready: (p) => p.getByRole('button', { name: 'Create account' }).waitFor() },
      { name: 'shops', path: '/', ready: (p) => p.getByRole('link', { name: 'Test Bakery' }).waitFor() },
      { name: 'shop', path: `/shops/${shopId}`, ready: (p) => p.getByText('in stock').first().waitFor() },
      {
        name: 'cart',
        who: placed.customerEmail,
        path: `/shops/${shopId}`,
        ready: (p) => p.getByRole('button', { name: 'Place order' }).waitFor(),
        prepare: async (p) => {
          await p.getByRole('button', { name: 'Add Croissant to cart' }).click();
          await p.getByRole('link', { name: /^Cart/ }).click();
        },
      },
      { name: 'order', who: placed.customerEmail, path: new URL(placed.deliveredOrderUrl!).pathname, ready: (p) => p.getByRole('status').filter({ hasText: 'Delivered' }).waitFor() },
      { name: 'my-orders', who: placed.customerEmail, path: '/orders', ready: (p) => p.getByRole('link', { name: /Order .* from Test Bakery/ }).first().waitFor() },
      { name: 'shop-dashboard', who: owner.email, path: '/shop', ready: (p) => p.getByRole('row', { name: /Sourdough/ }).waitFor() },
      { name: 'courier', who: courier.email, path: '/courier', ready: (p) => p.getByRole('heading', { name: 'Waiting for a courier' }).waitFor() },
    ];
    const found: Record<string, unknown> = {};
    for (const [width, viewport] of [['phone', phone], ['desktop', desktop]] as const) {
      for (const spec of pages) {
        const page = await newPage(viewport);
        if (spec.who) await signIn(page, spec.who);
        await page.goto(`${app.web.url}${spec.path}`);
        await spec.prepare?.(page);
        await spec.ready(page);
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[`${spec.name} (${width})`] = violations;
        await screenshot(page, `${spec.name}-${width}`);
        await page.context().close();
      }
    }
    expect(found).toEqual({});
  });

  it('lets a courier take a waiting shipment, pick it up, report positions along the route and deliver it', async () => {
    // The simulated courier would race the one in the browser: from here on, deliveries are by hand.
    await app.stopSimulator();
    const customer = await signUp(app.stack.gatewayUrl, 'CUSTOMER');
    const courier = await signUp(app.stack.gatewayUrl, 'COURIER');
    const { shop } = await customer.data(`query ($id: ID!) { shop(id: $id) { products { id name } } }`, { id: shopId });
    const sourdough = shop.products.find((p: { name: string }) => p.name === 'Sourdough').id;
    const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { shopId, items: [{ productId: sourdough, quantity: 1 }], deliveryAddress: '8 Courier Close', cardToken: 'tok_visa' },
    });
    const ownerApi = await apiSignIn(owner);
    const confirmed = async () => {
      const { order } = await customer.data(`query ($id: ID!) { order(id: $id) { status } }`, { id: placeOrder.id });
      return order.status as string;
    };
    for (let i = 0; i < 100 && (await confirmed()) !== 'CONFIRMED'; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    for (const status of ['PREPARING', 'READY_FOR_PICKUP']) await ownerApi.data(moveOrder, { id: placeOrder.id, status });

    const page = await newPage(phone);
    await signIn(page, courier.email);
    expect(new URL(page.url()).pathname).toBe('/courier');
    const waiting = page.getByRole('listitem').filter({ hasText: '8 Courier Close' });
    await waiting.getByRole('button', { name: /^Take shipment/ }).click({ timeout: liveTimeout });
    const mine = page.getByRole('listitem').filter({ hasText: '8 Courier Close' });
    await mine.getByRole('button', { name: /^Picked up shipment/ }).click();
    for (let step = 0; step < 2; step++) {
      await mine.getByRole('button', { name: `Report next position on the route (${step} of 6)` }).click();
    }
    await mine.getByText(/Last position 52\.5133, 13\.4200/).waitFor();
    await screenshot(page, 'courier-delivering-phone');
    await mine.getByRole('button', { name: /^Delivered shipment/ }).click();
    await mine.waitFor({ state: 'detached' });
    const { order } = await (await apiSignIn(customer)).data(`query ($id: ID!) { order(id: $id) { status shipment { status position { lat lng } courier { id } } } }`, { id: placeOrder.id });
    expect(order).toEqual({ status: 'DELIVERED', shipment: { status: 'DELIVERED', position: { lat: expect.closeTo(52.5133, 3), lng: expect.closeTo(13.42, 3) }, courier: { id: courier.id } } });
  });
});
