import { randomBytes } from 'node:crypto';
import type { GatewayClient } from './client';

export interface Actor {
  id: string;
  token: string;
}

export interface ChaosWorld {
  owner: Actor;
  shopId: string;
  products: { id: string; initialStock: number; scarce: boolean }[];
  customers: Actor[];
  couriers: Actor[];
}

/** Plenty of stock for most products; one scarce product runs out during the run, so some orders are rejected for stock and stock must stop at zero. */
export const plentifulStock = 1_000_000;
export const scarceStock = 40;

const signUpMutation = `mutation ($i: SignUpInput!) { signUp(input: $i) { token user { id } } }`;

async function signUp(client: GatewayClient, role: string, run: string): Promise<Actor> {
  const email = `${role.toLowerCase()}-${run}-${randomBytes(4).toString('hex')}@chaos.example`;
  const data = await client.must<{ signUp: { token: string; user: { id: string } } }>(signUpMutation, { i: { email, password: 'password123', name: role, role } });
  return { id: data.signUp.user.id, token: data.signUp.token };
}

/** One shop with its owner and products, couriers and customers, created through the gateway before any chaos. */
export async function seedWorld(client: GatewayClient, options: { customers: number; couriers: number; products: number }): Promise<ChaosWorld> {
  const run = randomBytes(3).toString('hex');
  const owner = await signUp(client, 'SHOP_OWNER', run);
  const shopId = (await client.must<{ createShop: { id: string } }>(`mutation { createShop(input: { name: "Chaos shop" }) { id } }`, {}, owner.token)).createShop.id;
  const products: ChaosWorld['products'] = [];
  for (let i = 0; i < options.products; i++) {
    const scarce = i === 0;
    const initialStock = scarce ? scarceStock : plentifulStock;
    const input = { shopId, name: `Chaos product ${i}`, priceCents: 100 + i, stock: initialStock };
    const data = await client.must<{ createProduct: { id: string } }>(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, owner.token);
    products.push({ id: data.createProduct.id, initialStock, scarce });
  }
  // A few at a time: signing up hashes a password, which is slow on a loaded machine.
  const many = async (role: string, count: number) => {
    const actors: Actor[] = [];
    for (let i = 0; i < count; i += 4) actors.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, () => signUp(client, role, run)))));
    return actors;
  };
  return { owner, shopId, products, customers: await many('CUSTOMER', options.customers), couriers: await many('COURIER', options.couriers) };
}
