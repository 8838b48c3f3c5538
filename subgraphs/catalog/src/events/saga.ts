import type { DataSource } from 'typeorm';
import { handleOnceBatched, recordSagaStep, type EventEnvelope, type EventLogger, type SagaStep } from '@commerce/events';
import { releaseAfterCancel, releaseAfterDecline, reserveStock } from '../domain/reservations';
import { config } from '../config';

/** catalog's queue in the order saga, and what is bound to it. */
export const sagaQueue = 'catalog.saga';
export const sagaEventTypes = ['order.placed', 'order.cancelled', 'payment.declined'] as const;

/**
 * Handles one saga event at most once per event id: the inbox row, the stock
 * and reservation changes and the events announcing them commit together.
 * Events that no longer apply are acknowledged and logged at debug; only a
 * real failure throws, which makes the bus retry.
 */
export function sagaHandler(dataSource: DataSource, logger: EventLogger): (event: EventEnvelope) => Promise<void> {
  return handleOnceBatched(dataSource, config.name, 'catalog.saga', async (event, manager) => {
    let step: SagaStep;
    switch (event.type) {
      case 'order.placed':
        step = await reserveStock(manager, event.payload);
        break;
      case 'payment.declined':
        step = await releaseAfterDecline(manager, event.payload.orderId);
        break;
      case 'order.cancelled':
        step = await releaseAfterCancel(manager, event.payload.orderId);
        break;
      default:
        // Not bound to this queue; acknowledged so a misrouted event cannot block it.
        return;
    }
    await recordSagaStep(manager, config.name, event, step, logger);
  });
}
