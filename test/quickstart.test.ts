import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postGraphQL } from '@commerce/service-kit';
import { demoAccounts, demoPassword, seedDemoData } from '../scripts/demo-data';
import { startStack } from '../scripts/stack';

// The zero-infrastructure quickstart: no DATABASE_URL or AMQP_URL, so every
// subgraph runs on its own embedded PGlite and events travel in-process.
const env = () => ({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
// Five embedded engines run initdb and their migrations on the test's own
// thread: about 15 s on an idle two-core machine, several times that while the
// rest of the suite runs beside it.
const bootTimeoutMs = 180_000;
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'commerce-quickstart-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const crossSubgraphQuery = `{ myOrders { status customer { name } shop { name } items { product { name } } payment { status } shipment { status } } }`;

async function customerToken(url: string): Promise<string> {
  const result = await postGraphQL(url, `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, {
    e: demoAccounts.customer.email,
    p: demoPassword,
  });
  return result.data!.signIn.token;
}

describe('the embedded quickstart', () => {
  it('boots with embedded defaults, seeds itself and answers a cross-subgraph query', async () => {
    const stack = await startStack(env(), 'ephemeral');
    try {
      expect(stack.mode).toBe('embedded');
      expect(await seedDemoData(stack)).toBe(true);
      const result = await postGraphQL(stack.gatewayUrl, crossSubgraphQuery, {}, { authorization: `Bearer ${await customerToken(stack.gatewayUrl)}` });
      expect(result.errors).toBeUndefined();
      expect(result.data!.myOrders).toHaveLength(2);
      expect(result.data!.myOrders).toContainEqual({
        status: 'READY_FOR_PICKUP',
        customer: { name: demoAccounts.customer.name },
        shop: { name: 'Corner Bakery' },
        items: [{ product: { name: 'Sourdough loaf' } }, { product: { name: 'Croissant' } }],
        payment: { status: 'AUTHORIZED' },
        shipment: { status: 'ASSIGNED' },
      });
    } finally {
      await stack.stop();
    }
  }, bootTimeoutMs);

  it('keeps its data across a restart and does not seed twice', async () => {
    const stack = await startStack(env(), 'ephemeral');
    try {
      expect(await seedDemoData(stack)).toBe(false);
      const result = await postGraphQL(stack.gatewayUrl, crossSubgraphQuery, {}, { authorization: `Bearer ${await customerToken(stack.gatewayUrl)}` });
      expect(result.data!.myOrders).toHaveLength(2);
    } finally {
      await stack.stop();
    }
  }, bootTimeoutMs);
});
