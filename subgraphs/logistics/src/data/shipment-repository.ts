import { In, type DataSource, type QueryFailedError } from 'typeorm';
import { PositionEntity, ShipmentEntity } from './entities';
import type { PositionRow, ShipmentRow } from './rows';

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

const uniqueViolation = '23505';

export function shipmentRepository(db: DataSource) {
  const shipments = db.getRepository(ShipmentEntity);
  const positions = db.getRepository(PositionEntity);
  return {
    async findByIds(ids: readonly string[]): Promise<ShipmentRow[]> {
      return shipments.findBy({ id: In([...ids]) });
    },

    async findByOrderIds(orderIds: readonly string[]): Promise<ShipmentRow[]> {
      return shipments.findBy({ orderId: In([...orderIds]) });
    },

    /** Newest first. */
    async findByCourier(courierId: string): Promise<ShipmentRow[]> {
      return shipments.find({ where: { courierId }, order: { createdAt: 'DESC', id: 'ASC' } });
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

    /** A shipment waiting for a courier. Throws ShipmentExistsError when the order has one. */
    async createShipment(orderId: string): Promise<ShipmentRow> {
      try {
        return await shipments.save(shipments.create({ orderId, status: 'WAITING_FOR_COURIER', courierId: null, eta: null }));
      } catch (error) {
        if ((error as QueryFailedError & { code?: string }).code === uniqueViolation) throw new ShipmentExistsError(orderId);
        throw error;
      }
    },

    /** Hands the shipment to a courier; null when there is no such shipment. */
    async assignCourier(shipmentId: string, courierId: string, eta: Date | null = null): Promise<ShipmentRow | null> {
      await shipments.update({ id: shipmentId }, { courierId, eta, status: 'ASSIGNED' });
      return shipments.findOneBy({ id: shipmentId });
    },

    async recordPosition(shipmentId: string, position: NewPosition): Promise<PositionRow> {
      return positions.save(positions.create({ shipmentId, lat: position.lat, lng: position.lng, at: position.at ?? new Date() }));
    },
  };
}

export type ShipmentRepository = ReturnType<typeof shipmentRepository>;
