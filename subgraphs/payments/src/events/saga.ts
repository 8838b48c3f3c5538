import type { DataSource } from 'typeorm';
import { handleOnceBatched, recordSagaStep, type EventEnvelope, type EventLogger, type SagaStep } from '@commerce/events';
import type { PaymentProvider } from '../provider/payment-provider';
import { paymentSaga } from '../domain/payment-saga';
import { config } from '../config';

/** payments' queue in the order saga, and what is bound to it. */
export const sagaQueue = 'payments.saga';
export const sagaEventTypes = ['order.placed', 'inventory.reserved', 'inventory.rejected', 'order.cancelled', 'order.delivered'] as const;

/**
 * Handles one saga event at most once per event id: the inbox row, the
 * payment's change and the events announcing it commit together. Events that
 * no longer apply are acknowledged and logged at debug; a provider failure or
 * a payment not opened yet throws, which makes the bus retry.
 */
export function sagaHandler(
  dataSource: DataSource,
  provider: PaymentProvider,
  logger: EventLogger,
): (event: EventEnvelope) => Promise<void> {
  const saga = paymentSaga(provider);
  return handleOnceBatched(dataSource, config.name, 'payments.saga', async (event, manager) => {
    let step: SagaStep;
    switch (event.type) {
      case 'order.placed':
        step = await saga.open(manager, event.payload);
        break;
      case 'inventory.reserved':
        step = await saga.authorize(manager, event.payload.orderId);
        break;
      case 'inventory.rejected':
        step = await saga.voidUnauthorized(manager, event.payload.orderId);
        break;
      case 'order.cancelled':
        step = await saga.cancel(manager, event.payload.orderId);
        break;
      case 'order.delivered':
        step = await saga.capture(manager, event.payload.orderId);
        break;
      default:
        // Not bound to this queue; acknowledged so a misrouted event cannot block it.
        return;
    }
    await recordSagaStep(manager, config.name, event, step, logger);
  });
}
