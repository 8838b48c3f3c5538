import { In, type DataSource, type EntityManager } from 'typeorm';
import type { OrderStatus } from '../domain/order-lifecycle';
import { OrderEntity, OrderItemEntity, StatusChangeEntity } from './entities';
import { onlyUuids } from './ids';
import type { ChangedOrder, OrderItemRow, OrderRow, StatusChangeRow } from './rows';

export interface NewOrder {
  id: string;
  customerId: string;
  shopId: string;
  totalCents: number;
  deliveryAddress: string;
  items: Omit<OrderItemRow, 'orderId'>[];
}

// Ties on created_at (same transaction start) still list in a stable order.
const newestFirst = { createdAt: 'DESC', id: 'DESC' } as const;

export function orderRepository(db: DataSource) {
  const orders = db.getRepository(OrderEntity);
  const items = db.getRepository(OrderItemEntity);
  const history = db.getRepository(StatusChangeEntity);

  return {
    async findByIds(ids: readonly string[]): Promise<OrderRow[]> {
      const known = onlyUuids(ids);
      return known.length === 0 ? [] : orders.findBy({ id: In(known) });
    },

    async ofCustomers(customerIds: readonly string[]): Promise<OrderRow[]> {
      const known = onlyUuids(customerIds);
      return known.length === 0 ? [] : orders.find({ where: { customerId: In(known) }, order: newestFirst });
    },

    async ofShops(shopIds: readonly string[]): Promise<OrderRow[]> {
      const known = onlyUuids(shopIds);
      return known.length === 0 ? [] : orders.find({ where: { shopId: In(known) }, order: newestFirst });
    },

    async itemsOf(orderIds: readonly string[]): Promise<OrderItemRow[]> {
      return items.find({ where: { orderId: In([...orderIds]) }, order: { orderId: 'ASC', position: 'ASC' } });
    },

    /** In the order the changes were written (id order); see order-as-of.ts for why not by `at`. */
    async historyOf(orderIds: readonly string[]): Promise<StatusChangeRow[]> {
      return history.find({ where: { orderId: In([...orderIds]) }, order: { id: 'ASC' } });
    },

    /** Writes a PENDING order, its items and its first history row; the caller owns the transaction. */
    async insertPending(manager: EntityManager, order: NewOrder): Promise<OrderRow> {
      // created_at comes from Postgres (microseconds) so "newest first" holds for orders placed within one millisecond.
      // One statement for the order, its items and its first history row: placing an order
      // is on every saga's path, and each round trip to Postgres costs as much as the work.
      const [inserted] = (await manager.query(
        `WITH placed AS (
           INSERT INTO orders.orders (id, customer_id, shop_id, status, total_cents, delivery_address)
           VALUES ($1, $2, $3, 'PENDING', $4, $5) RETURNING id, created_at
         ), lines AS (
           INSERT INTO orders.order_items (order_id, position, product_id, quantity, unit_price_cents)
           SELECT placed.id, line.position, line.product_id, line.quantity, line.unit_price_cents
           FROM placed, unnest($6::int[], $7::uuid[], $8::int[], $9::int[]) AS line (position, product_id, quantity, unit_price_cents)
         ), history AS (
           INSERT INTO orders.order_status_changes (order_id, status, reason, at) SELECT id, 'PENDING', NULL, created_at FROM placed
         )
         SELECT created_at FROM placed`,
        [
          order.id,
          order.customerId,
          order.shopId,
          order.totalCents,
          order.deliveryAddress,
          order.items.map((item) => item.position),
          order.items.map((item) => item.productId),
          order.items.map((item) => item.quantity),
          order.items.map((item) => item.unitPriceCents),
        ],
      )) as { created_at: Date }[];
      const createdAt = inserted!.created_at;
      return {
        id: order.id,
        customerId: order.customerId,
        shopId: order.shopId,
        status: 'PENDING',
        totalCents: order.totalCents,
        deliveryAddress: order.deliveryAddress,
        courierId: null,
        createdAt,
        updatedAt: createdAt,
      };
    },

    /**
     * Reads an order and locks its row until the transaction ends, so a saga
     * step decides on a status nobody else can change under it.
     */
    async lockById(manager: EntityManager, orderId: string): Promise<OrderRow | null> {
      // Plain SQL: every saga step of an order runs it, and TypeORM's query building showed in the saga's CPU profile.
      const rows = (await manager.query(`SELECT ${orderColumns} FROM orders.orders WHERE id = $1 FOR UPDATE`, [orderId])) as OrderColumns[];
      return rows[0] ? orderFromColumns(rows[0]) : null;
    },

    /**
     * Moves an order from `from` to `to` and records the change, or returns null
     * when the order is no longer in `from` (someone else moved it first): the
     * status in the WHERE clause is the optimistic lock. `courierId`, when
     * given, is remembered as the courier carrying the order.
     */
    async changeStatus(
      manager: EntityManager,
      change: { orderId: string; from: OrderStatus; to: OrderStatus; reason: string | null; courierId?: string },
    ): Promise<ChangedOrder | null> {
      // Two round trips, not four: the UPDATE returns the changed row and the history
      // insert returns the change's place, since each saga step pays for every one.
      const parameters: unknown[] = [change.to, change.orderId, change.from];
      const courier = change.courierId === undefined ? '' : `, courier_id = $${parameters.push(change.courierId)}`;
      const [rows] = (await manager.query(
        `UPDATE orders.orders SET status = $1, updated_at = now()${courier} WHERE id = $2 AND status = $3
         RETURNING ${orderColumns}`,
        parameters,
      )) as [OrderColumns[], number];
      const row = rows[0];
      if (!row) return null;
      // The UPDATE holds the order's row until commit: every earlier change of the order
      // has committed and no later one can write before this one does, so the count is
      // this change's place in the history. The CTE's row is not visible to the count, hence + 1.
      const [{ sequence }] = (await manager.query(
        `WITH added AS (INSERT INTO orders.order_status_changes (order_id, status, reason, at) VALUES ($1, $2, $3, now()))
         SELECT count(*)::int + 1 AS sequence FROM orders.order_status_changes WHERE order_id = $1`,
        [change.orderId, change.to, change.reason],
      )) as [{ sequence: number }];
      return { order: orderFromColumns(row), sequence };
    },
  };
}

export type OrderRepository = ReturnType<typeof orderRepository>;

const orderColumns = 'id, customer_id, shop_id, status, total_cents, delivery_address, courier_id, created_at, updated_at';

/** An `orders.orders` row as Postgres returns it to a raw query. */
interface OrderColumns {
  id: string;
  customer_id: string;
  shop_id: string;
  status: OrderStatus;
  total_cents: number;
  delivery_address: string;
  courier_id: string | null;
  created_at: Date;
  updated_at: Date;
}

function orderFromColumns(row: OrderColumns): OrderRow {
  return {
    id: row.id,
    customerId: row.customer_id,
    shopId: row.shop_id,
    status: row.status,
    totalCents: row.total_cents,
    deliveryAddress: row.delivery_address,
    courierId: row.courier_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
