import { createLogger, eventually } from '@commerce/service-kit';
import { startSimulator, type Simulator } from '@commerce/simulator';
import { signUp, testPassword } from './support/graph';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
let simulator: Simulator;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await simulator?.stop();
  await stack?.stop();
});

describe('the demo simulator', () => {
  it('moves a newly placed order all the way to DELIVERED through the public graph', async () => {
    const [owner, courier, customer] = await Promise.all([
      signUp(stack.gatewayUrl, 'SHOP_OWNER'),
      signUp(stack.gatewayUrl, 'COURIER'),
      signUp(stack.gatewayUrl, 'CUSTOMER'),
    ]);
    simulator = await startSimulator({
      bus: stack.bus,
      gatewayUrl: stack.gatewayUrl,
      shop: { email: owner.email, password: testPassword },
      courier: { email: courier.email, password: testPassword },
      stepDelayMs: 0,
      positionsPerTrip: 2,
      logger: createLogger('simulator', 'silent'),
    });
    const shopId = (await owner.data(`mutation { createShop(input: { name: "Simulated" }) { id } }`)).createShop.id;
    const productId = (
      await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
        input: { shopId, name: 'Pretzel', priceCents: 250, stock: 10 },
      })
    ).createProduct.id;
    const orderId = await eventually(async () => {
      const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: { shopId, items: [{ productId, quantity: 2 }], deliveryAddress: '9 Demo Lane', cardToken: 'tok_visa' },
      });
      return placeOrder.id as string;
    });

    const delivered = await eventually(async () => {
      const { order } = await customer.data(`query ($id: ID!) { order(id: $id) { status history { status } shipment { status courier { id } } } }`, { id: orderId });
      if (order.status !== 'DELIVERED') throw new Error(`still ${order.status}`);
      return order;
    }, 30_000);
    expect(delivered.history.map((h: { status: string }) => h.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'PREPARING',
      'READY_FOR_PICKUP',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ]);
    expect(delivered.shipment).toEqual({ status: 'DELIVERED', courier: { id: courier.id } });
  });
});
