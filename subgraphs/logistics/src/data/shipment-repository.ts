import { In, type DataSource, type EntityManager } from 'typeorm';
import { PositionEntity, ShipmentEntity } from './entities';
import type { PositionRow, ShipmentRow, ShipmentStatus } from './rows';

/** The order already has a shipment; an order ships at most once. */
export class ShipmentExistsError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} already has a shipment`);
    this.name = 'ShipmentExistsError';
  }
}

export interface NewPosition {
  lat: number;
  lng: number;
  /** When the courier was there; defaults to now. */
  at?: Date;
}

export interface NewShipment {
  orderId: string;
  deliveryAddress: string;
  /** WAITING_FOR_COURIER, or CANCELLED for an order cancelled before its shipment was opened. */
  status?: Extract<ShipmentStatus, 'WAITING_FOR_COURIER' | 'CANCELLED'>;
}

export interface ShipmentChange {
  status?: ShipmentStatus;
  courierId?: string;
  eta?: Date | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A client-supplied id that is not a uuid names nothing; drop it before SQL rather than fail the cast. */
const onlyUuids = (ids: readonly string[]): string[] => ids.filter((id) => uuidPattern.test(id));

export function shipmentRepository(db: DataSource) {
  const shipments = db.getRepository(ShipmentEntity);
  const positions = db.getRepository(PositionEntity);

  const repository = {
    async findByIds(ids: readonly string[]): Promise<ShipmentRow[]> {
      const known = onlyUuids(ids);
      return known.length === 0 ? [] : shipments.findBy({ id: In(known) });
    },

    async findByOrderIds(orderIds: readonly string[]): Promise<ShipmentRow[]> {
      const known = onlyUuids(orderIds);
      return known.length === 0 ? [] : shipments.findBy({ orderId: In(known) });
    },

    /** Newest first. */
    async findByCourier(courierId: string): Promise<ShipmentRow[]> {
      return shipments.find({ where: { courierId }, order: { createdAt: 'DESC', id: 'ASC' } });
    },

    /** Shipments no courier has taken yet, oldest first. */
    async waitingForCourier(): Promise<ShipmentRow[]> {
      return shipments.find({ where: { status: 'WAITING_FOR_COURIER' }, order: { createdAt: 'ASC', id: 'ASC' } });
    },

    /** The most recent position of each shipment that has one, in one query. */
    async latestPositions(shipmentIds: readonly string[]): Promise<PositionRow[]> {
      return positions
        .createQueryBuilder('p')
        .distinctOn(['p.shipmentId'])
        .where('p.shipmentId IN (:...shipmentIds)', { shipmentIds: [...shipmentIds] })
        .orderBy('p.shipmentId')
        .addOrderBy('p.at', 'DESC')
        .getMany();
    },

    /**
     * Opens the order's shipment in the caller's transaction, or returns null
     * when the order has one already (the unique order_id decides, also
     * between two transactions racing).
     */
    async openShipment(manager: EntityManager, shipment: NewShipment): Promise<ShipmentRow | null> {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO logistics.shipments (order_id, delivery_address, status) VALUES ($1, $2, $3)
         ON CONFLICT (order_id) DO NOTHING RETURNING id`,
        [shipment.orderId, shipment.deliveryAddress, shipment.status ?? 'WAITING_FOR_COURIER'],
      );
      return inserted[0] ? manager.getRepository(ShipmentEntity).findOneByOrFail({ id: inserted[0].id }) : null;
    },

    /** A shipment waiting for a courier. Throws ShipmentExistsError when the order has one. */
    async createShipment(orderId: string, deliveryAddress: string): Promise<ShipmentRow> {
      const created = await db.transaction((manager) => repository.openShipment(manager, { orderId, deliveryAddress }));
      if (!created) throw new ShipmentExistsError(orderId);
      return created;
    },

    /** Reads a shipment and locks its row until the transaction ends. */
    async lockById(manager: EntityManager, shipmentId: string): Promise<ShipmentRow | null> {
      if (onlyUuids([shipmentId]).length === 0) return null;
      return manager.getRepository(ShipmentEntity).findOne({ where: { id: shipmentId }, lock: { mode: 'pessimistic_write' } });
    },

    async lockByOrderId(manager: EntityManager, orderId: string): Promise<ShipmentRow | null> {
      return manager.getRepository(ShipmentEntity).findOne({ where: { orderId }, lock: { mode: 'pessimistic_write' } });
    },

    /**
     * Applies `change` only while the shipment is in one of `from` (the
     * optimistic lock); the changed shipment, or null when it was not.
     */
    async changeIf(
      manager: EntityManager,
      shipmentId: string,
      from: readonly ShipmentStatus[],
      change: ShipmentChange,
    ): Promise<ShipmentRow | null> {
      if (onlyUuids([shipmentId]).length === 0) return null;
      const result = await manager
        .createQueryBuilder()
        .update(ShipmentEntity)
        .set({ ...change, updatedAt: () => 'now()' })
        .where('id = :id AND status IN (:...from)', { id: shipmentId, from: [...from] })
        .execute();
      if (result.affected !== 1) return null;
      return manager.getRepository(ShipmentEntity).findOneByOrFail({ id: shipmentId });
    },

    /** Hands the shipment to a courier; null when there is no such shipment. */
    async assignCourier(shipmentId: string, courierId: string, eta: Date | null = null): Promise<ShipmentRow | null> {
      await shipments.update({ id: shipmentId }, { courierId, eta, status: 'ASSIGNED' });
      return shipments.findOneBy({ id: shipmentId });
    },

    async recordPosition(shipmentId: string, position: NewPosition, manager: EntityManager = db.manager): Promise<PositionRow> {
      const repository = manager.getRepository(PositionEntity);
      return repository.save(
        repository.create({ shipmentId, lat: position.lat, lng: position.lng, at: position.at ?? new Date() }),
      );
    },
  };
  return repository;
}

export type ShipmentRepository = ReturnType<typeof shipmentRepository>;
