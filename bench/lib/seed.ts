import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The caller every benchmark request is made as, and the data each query must return. */
export interface SeededData {
  customer: { id: string; name: string; email: string; role: 'CUSTOMER' };
  /** `myOrders` exactly as the gateway must answer BenchOrders, newest first. */
  expectedOrders: unknown[];
}

export interface SeedTargets {
  users: DataSource;
  catalog?: DataSource;
  orders?: DataSource;
  payments?: DataSource;
  logistics?: DataSource;
}

const shopCount = 3;
const productsPerShop = 10;
const defaultOrderCount = 50;

async function insertMany(db: DataSource, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, rows.flat());
}

/**
 * Seeds each subgraph's own schema through its own connection, in SQL, so the
 * benchmark does not wait on the order saga: a customer with 50 (or `orderCount`) orders of
 * 1–3 items across three shops, each order paid and every other one shipped.
 */
export async function seed(targets: SeedTargets, orderCount = defaultOrderCount): Promise<SeededData> {
  // Unique addresses, so that one database can be seeded more than once (bench/growth.ts seeds a customer per step).
  const tag = randomUUID().slice(0, 8);
  const customer = { id: randomUUID(), name: 'Bench Customer', email: `bench.customer.${tag}@example.com`, role: 'CUSTOMER' as const };
  const owners = Array.from({ length: shopCount }, (_, i) => ({ id: randomUUID(), name: `Owner ${i + 1}`, email: `owner${i + 1}.${tag}@example.com` }));
  const couriers = Array.from({ length: 2 }, (_, i) => ({ id: randomUUID(), name: `Courier ${i + 1}`, email: `courier${i + 1}.${tag}@example.com` }));
  await insertMany(targets.users, 'users.users', ['id', 'email', 'name', 'role', 'password_hash'], [
    [customer.id, customer.email, customer.name, 'CUSTOMER', 'not-a-real-hash'],
    ...owners.map((o) => [o.id, o.email, o.name, 'SHOP_OWNER', 'not-a-real-hash']),
    ...couriers.map((c) => [c.id, c.email, c.name, 'COURIER', 'not-a-real-hash']),
  ]);
  if (!targets.catalog || !targets.orders || !targets.payments || !targets.logistics) return { customer, expectedOrders: [] };

  const shops = owners.map((owner, i) => ({ id: randomUUID(), ownerId: owner.id, name: `Bench Shop ${i + 1}` }));
  const products = shops.flatMap((shop, s) =>
    Array.from({ length: productsPerShop }, (_, p) => ({ id: randomUUID(), shopId: shop.id, name: `Product ${s + 1}.${p + 1}`, priceCents: 150 + 37 * p + 11 * s })),
  );
  await insertMany(targets.catalog, 'catalog.shops', ['id', 'owner_id', 'name'], shops.map((s) => [s.id, s.ownerId, s.name]));
  await insertMany(targets.catalog, 'catalog.products', ['id', 'shop_id', 'name', 'price_cents', 'stock'], products.map((p) => [p.id, p.shopId, p.name, p.priceCents, 1000]));
  const now = Date.now();
  await insertMany(targets.orders, 'orders.catalog_shops', ['shop_id', 'owner_id', 'name', 'changed_at'], shops.map((s) => [s.id, s.ownerId, s.name, new Date(now)]));
  await insertMany(targets.orders, 'orders.catalog_products', ['product_id', 'shop_id', 'name', 'price_cents', 'changed_at'], products.map((p) => [p.id, p.shopId, p.name, p.priceCents, new Date(now)]));

  const orders = Array.from({ length: orderCount }, (_, i) => {
    const shop = shops[i % shopCount]!;
    const choices = products.filter((p) => p.shopId === shop.id);
    const items = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ product: choices[(i + 3 * k) % choices.length]!, quantity: 1 + ((i + k) % 4) }));
    const totalCents = items.reduce((sum, item) => sum + item.product.priceCents * item.quantity, 0);
    const shipped = i % 2 === 0;
    return {
      id: randomUUID(),
      shop,
      items,
      totalCents,
      status: shipped ? 'OUT_FOR_DELIVERY' : 'CONFIRMED',
      createdAt: new Date(now - (orderCount - i) * 60_000),
      payment: { id: randomUUID(), status: shipped ? 'CAPTURED' : 'AUTHORIZED' },
      shipment: shipped ? { id: randomUUID(), status: 'PICKED_UP', courier: couriers[i % couriers.length]! } : null,
    };
  });
  await insertMany(targets.orders, 'orders.orders', ['id', 'customer_id', 'shop_id', 'status', 'total_cents', 'delivery_address', 'created_at', 'updated_at'],
    orders.map((o) => [o.id, customer.id, o.shop.id, o.status, o.totalCents, '1 Bench Street', o.createdAt, o.createdAt]));
  await insertMany(targets.orders, 'orders.order_items', ['order_id', 'position', 'product_id', 'quantity', 'unit_price_cents'],
    orders.flatMap((o) => o.items.map((item, position) => [o.id, position, item.product.id, item.quantity, item.product.priceCents])));
  await insertMany(targets.orders, 'orders.order_status_changes', ['order_id', 'status', 'at'], orders.map((o) => [o.id, o.status, o.createdAt]));
  await insertMany(targets.payments, 'payments.payments', ['id', 'order_id', 'amount_cents', 'status'], orders.map((o) => [o.payment.id, o.id, o.totalCents, o.payment.status]));
  const shipped = orders.filter((o) => o.shipment);
  await insertMany(targets.logistics, 'logistics.shipments', ['id', 'order_id', 'status', 'courier_id', 'delivery_address'], shipped.map((o) => [o.shipment!.id, o.id, o.shipment!.status, o.shipment!.courier.id, '1 Bench Street']));

  const expectedOrders = [...orders].reverse().map((o) => ({
    id: o.id,
    status: o.status,
    totalCents: o.totalCents,
    customer: { name: customer.name },
    shop: { name: o.shop.name },
    items: o.items.map((item) => ({ quantity: item.quantity, unitPriceCents: item.product.priceCents, product: { name: item.product.name } })),
    payment: { status: o.payment.status, amountCents: o.totalCents },
    shipment: o.shipment ? { status: o.shipment.status, courier: { name: o.shipment.courier.name } } : null,
  }));
  return { customer, expectedOrders };
}
