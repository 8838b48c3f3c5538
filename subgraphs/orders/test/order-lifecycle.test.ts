import { decideTransition, isTerminal, nextStatuses, orderStatuses, type Mover, type Party } from '../src/domain/order-lifecycle';

const as = (...parties: Party[]): Mover => ({ parties: new Set(parties), admin: false });
const admin: Mover = { parties: new Set(), admin: true };

describe('the order lifecycle', () => {
  it('follows the happy path PENDING → CONFIRMED → PREPARING → READY_FOR_PICKUP → OUT_FOR_DELIVERY → DELIVERED', () => {
    expect(decideTransition('PENDING', 'CONFIRMED', as('system'))).toBe('allowed');
    expect(decideTransition('CONFIRMED', 'PREPARING', as('shop'))).toBe('allowed');
    expect(decideTransition('PREPARING', 'READY_FOR_PICKUP', as('shop'))).toBe('allowed');
    expect(decideTransition('READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', as('system'))).toBe('allowed');
    expect(decideTransition('OUT_FOR_DELIVERY', 'DELIVERED', as('system'))).toBe('allowed');
  });

  it('leaves pickup and delivery to the saga: no person, not even the courier carrying it, makes those moves', () => {
    for (const party of ['customer', 'shop', 'courier'] as const) {
      expect(decideTransition('READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', as(party))).toBe('forbidden');
      expect(decideTransition('OUT_FOR_DELIVERY', 'DELIVERED', as(party))).toBe('forbidden');
    }
  });

  it('has DELIVERED, CANCELLED and REJECTED as the only terminal statuses', () => {
    expect(orderStatuses.filter(isTerminal)).toEqual(['DELIVERED', 'CANCELLED', 'REJECTED']);
  });

  it('lets the customer cancel while PENDING, CONFIRMED or PREPARING, and not later', () => {
    const cancellable = orderStatuses.filter((from) => decideTransition(from, 'CANCELLED', as('customer')) === 'allowed');
    expect(cancellable).toEqual(['PENDING', 'CONFIRMED', 'PREPARING']);
    expect(decideTransition('READY_FOR_PICKUP', 'CANCELLED', as('customer'))).toBe('forbidden');
  });

  it('lets the shop cancel any time before the order is out for delivery', () => {
    const cancellable = orderStatuses.filter((from) => decideTransition(from, 'CANCELLED', as('shop')) === 'allowed');
    expect(cancellable).toEqual(['PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP']);
    expect(decideTransition('OUT_FOR_DELIVERY', 'CANCELLED', as('shop'))).toBe('invalid');
  });

  it('keeps confirmation and rejection for the saga, and the shop moves only its own steps', () => {
    expect(decideTransition('PENDING', 'CONFIRMED', as('shop'))).toBe('forbidden');
    expect(decideTransition('PENDING', 'REJECTED', as('customer', 'shop'))).toBe('forbidden');
    expect(decideTransition('READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', as('shop'))).toBe('forbidden');
    expect(decideTransition('CONFIRMED', 'PREPARING', as('customer'))).toBe('forbidden');
  });

  it('lets an admin make every move the table has, and no other', () => {
    for (const from of orderStatuses) {
      for (const to of orderStatuses) {
        const expected = nextStatuses(from).includes(to) ? 'allowed' : 'invalid';
        expect([from, to, decideTransition(from, to, admin)]).toEqual([from, to, expected]);
      }
    }
  });

  it('answers invalid, not forbidden, for a move the lifecycle lacks whoever asks', () => {
    expect(decideTransition('PENDING', 'DELIVERED', as())).toBe('invalid');
    expect(decideTransition('DELIVERED', 'CANCELLED', as('customer'))).toBe('invalid');
    expect(decideTransition('PREPARING', 'PREPARING', as('shop'))).toBe('invalid');
    expect(decideTransition('CONFIRMED', 'PENDING', admin)).toBe('invalid');
  });

  it('gives a caller with no relation to the order no move at all', () => {
    for (const from of orderStatuses) {
      for (const to of nextStatuses(from)) expect(decideTransition(from, to, as())).toBe('forbidden');
    }
  });
});
