import type { DataSource, EntityManager } from 'typeorm';
import { appendEvents } from '@commerce/events';
import { notFound, type Identity } from '@commerce/service-kit';
import type { ShipmentRow, ShipmentStatus } from '../data/rows';
import type { ShipmentChange, ShipmentRepository } from '../data/shipment-repository';
import { shipmentChangeEvents } from '../events/published';
import { config } from '../config';
import {
  acceptedEtaMs,
  etaAfterReport,
  invalidShipmentTransition,
  requireAssignedCourier,
  requireCourier,
  validatePosition,
} from './shipment-rules';

/** The courier's moves; resolvers only unpack arguments and call these. */
export function shipmentService(
  db: DataSource,
  shipments: ShipmentRepository,
  /** Called after a commit that appended events to the outbox. */
  eventsCommitted: () => void = () => undefined,
) {
  /** Runs `work` in a transaction and wakes the relay once it committed. */
  async function inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    eventsCommitted();
    return result;
  }

  async function announce(manager: EntityManager, shipment: ShipmentRow, previousStatus: ShipmentStatus): Promise<ShipmentRow> {
    await appendEvents(manager, config.name, shipmentChangeEvents(shipment, previousStatus));
    return shipment;
  }

  /**
   * One courier move on a shipment the caller is assigned to: the row is
   * locked, so the checks and the change see the same shipment.
   */
  function assignedMove(from: ShipmentStatus, to: ShipmentStatus) {
    return (caller: Identity, shipmentId: string): Promise<ShipmentRow> =>
      inTransaction(async (manager) => {
        const shipment = await shipments.lockById(manager, shipmentId);
        if (!shipment) throw notFound('Shipment', shipmentId);
        requireAssignedCourier(caller, shipment);
        if (shipment.status !== from) throw invalidShipmentTransition(shipment.status, to);
        const changed = await shipments.changeIf(manager, shipmentId, [from], { status: to });
        return announce(manager, changed!, from);
      });
  }

  return {
    /**
     * WAITING_FOR_COURIER → ASSIGNED to the caller. The status guard in the
     * UPDATE lets exactly one of several racing couriers through.
     */
    accept(caller: Identity, shipmentId: string): Promise<ShipmentRow> {
      const courier = requireCourier(caller);
      return inTransaction(async (manager) => {
        const change: ShipmentChange = {
          status: 'ASSIGNED',
          courierId: courier.userId,
          eta: new Date(Date.now() + acceptedEtaMs),
        };
        const accepted = await shipments.changeIf(manager, shipmentId, ['WAITING_FOR_COURIER'], change);
        if (accepted) return announce(manager, accepted, 'WAITING_FOR_COURIER');
        const [current] = await shipments.findByIds([shipmentId]);
        if (!current) throw notFound('Shipment', shipmentId);
        throw invalidShipmentTransition(current.status, 'ASSIGNED');
      });
    },

    /** ASSIGNED → PICKED_UP; orders then takes the order out for delivery. */
    pickUp: assignedMove('ASSIGNED', 'PICKED_UP'),

    /** PICKED_UP → DELIVERED; orders then marks the order delivered. */
    deliver: assignedMove('PICKED_UP', 'DELIVERED'),

    /** Records where the assigned courier is, while the shipment is on its way. */
    reportPosition(caller: Identity, shipmentId: string, lat: number, lng: number): Promise<ShipmentRow> {
      const point = validatePosition(lat, lng);
      return inTransaction(async (manager) => {
        const shipment = await shipments.lockById(manager, shipmentId);
        if (!shipment) throw notFound('Shipment', shipmentId);
        requireAssignedCourier(caller, shipment);
        if (shipment.status !== 'ASSIGNED' && shipment.status !== 'PICKED_UP') {
          throw invalidShipmentTransition(shipment.status, shipment.status);
        }
        const now = new Date();
        await shipments.recordPosition(shipmentId, { ...point, at: now }, manager);
        const changed = await shipments.changeIf(manager, shipmentId, [shipment.status], {
          eta: etaAfterReport(shipment.eta, now),
        });
        return announce(manager, changed!, shipment.status);
      });
    },
  };
}

export type ShipmentService = ReturnType<typeof shipmentService>;
