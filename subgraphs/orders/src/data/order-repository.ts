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

    async historyOf(orderIds: readonly string[]): Promise<StatusChangeRow[]> {
      return history.find({ where: { orderId: In([...orderIds]) }, order: { at: 'ASC', id: 'ASC' } });
    },

    /** Writes a PENDING order, its items and its first history row; the caller owns the transaction. */
    async insertPending(manager: EntityManager, order: NewOrder): Promise<OrderRow> {
      // created_at comes from Postgres (microseconds) so "newest first" holds for orders placed within one millisecond.
      const [inserted] = (await manager.query(
        `INSERT INTO orders.orders (id, customer_id, shop_id, status, total_cents, delivery_address)
         VALUES ($1, $2, $3, 'PENDING', $4, $5) RETURNING created_at`,
        [order.id, order.customerId, order.shopId, order.totalCents, order.deliveryAddress],
      )) as { created_at: Date }[];
      const createdAt = inserted!.created_at;
      await manager.getRepository(OrderItemEntity).insert(order.items.map((item) => ({ ...item, orderId: order.id })));
      await manager.getRepository(StatusChangeEntity).insert({ orderId: order.id, status: 'PENDING', reason: null, at: createdAt });
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
      return manager.getRepository(OrderEntity).findOne({ where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
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
      const result = await manager
        .createQueryBuilder()
        .update(OrderEntity)
        .set({
          status: change.to,
          updatedAt: () => 'now()',
          ...(change.courierId === undefined ? {} : { courierId: change.courierId }),
        })
        .where('id = :id AND status = :from', { id: change.orderId, from: change.from })
        .execute();
      if (result.affected !== 1) return null;
      const history = manager.getRepository(StatusChangeEntity);
      await history.insert({ orderId: change.orderId, status: change.to, reason: change.reason, at: () => 'now()' });
      // The UPDATE holds the order's row until commit: every earlier change of the order
      // has committed and no later one can write before this one does, so the count is
      // this change's place in the history.
      const sequence = await history.countBy({ orderId: change.orderId });
      return { order: await manager.getRepository(OrderEntity).findOneByOrFail({ id: change.orderId }), sequence };
    },
  };
}

export type OrderRepository = ReturnType<typeof orderRepository>;
