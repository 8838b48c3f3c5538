import { badInput, domainError, ErrorCode, forbidden, type Identity } from '@commerce/service-kit';
import type { ShipmentRow, ShipmentStatus } from '../data/rows';

/** How long a courier is expected to take from accepting to the door. */
export const acceptedEtaMs = 30 * 60 * 1000;

/** When a position comes in after the ETA passed, the new guess is this far ahead. */
export const overdueEtaMs = 10 * 60 * 1000;

export function invalidShipmentTransition(from: ShipmentStatus, to: ShipmentStatus): Error {
  return domainError(ErrorCode.InvalidTransition, `A shipment cannot move from ${from} to ${to}`, { from, to });
}

/** Only couriers take shipments; admins included would make an admin someone's courier. */
export function requireCourier(caller: Identity): Identity {
  if (caller.role !== 'COURIER') throw forbidden('Only couriers take shipments');
  return caller;
}

/** Only the courier a shipment is assigned to may act on it. */
export function requireAssignedCourier(caller: Identity, shipment: ShipmentRow): void {
  if (shipment.courierId === null || shipment.courierId !== caller.userId) {
    throw forbidden('This shipment is not assigned to you');
  }
}

/** A point on Earth; BAD_USER_INPUT naming the argument otherwise. */
export function validatePosition(lat: number, lng: number): { lat: number; lng: number } {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw badInput('lat', 'A latitude is between -90 and 90');
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw badInput('lng', 'A longitude is between -180 and 180');
  return { lat, lng };
}

/**
 * The ETA after a position report: the current one while it still lies
 * ahead, otherwise a fresh guess a little ahead. Positions carry no route, so
 * anything smarter would be pretence.
 */
export function etaAfterReport(current: Date | null, now: Date): Date {
  return current !== null && current > now ? current : new Date(now.getTime() + overdueEtaMs);
}
