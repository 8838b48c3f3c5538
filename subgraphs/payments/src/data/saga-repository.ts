import type { EntityManager } from 'typeorm';
import type { PaymentRow, PaymentStatus } from './rows';

// Every function takes the saga handler's transaction; none commits on its own.

/** A payment as the saga sees it: with the card token, which GraphQL never loads. */
export interface SagaPaymentRow extends PaymentRow {
  /** Null once the authorization was attempted or the payment was voided. */
  cardToken: string | null;
}

const returningPayment = `id, order_id AS "orderId", amount_cents AS "amountCents", status, decline_reason AS "declineReason",
  provider_reference AS "providerReference", card_token AS "cardToken", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Opens the order's PENDING payment; false when it already has one (a redelivery). */
export async function openPayment(
  manager: EntityManager,
  payment: { orderId: string; amountCents: number; cardToken: string },
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO payments.payments (order_id, amount_cents, status, card_token) VALUES ($1, $2, 'PENDING', $3)
     ON CONFLICT (order_id) DO NOTHING RETURNING id`,
    [payment.orderId, payment.amountCents, payment.cardToken],
  );
  return rows.length > 0;
}

/** The order's payment, locked until the transaction ends; null when it has none yet. */
export async function lockPaymentOfOrder(manager: EntityManager, orderId: string): Promise<SagaPaymentRow | null> {
  const rows: SagaPaymentRow[] = await manager.query(
    `SELECT ${returningPayment} FROM payments.payments WHERE order_id = $1 FOR UPDATE`,
    [orderId],
  );
  return rows[0] ?? null;
}

export interface PaymentChange {
  status: PaymentStatus;
  declineReason?: string;
  providerReference?: string;
  /** Forget the card token: no later step calls the provider with it. */
  clearCardToken?: boolean;
}

export async function changePayment(manager: EntityManager, id: string, change: PaymentChange): Promise<void> {
  await manager.query(
    `UPDATE payments.payments SET status = $2,
       decline_reason = COALESCE($3, decline_reason),
       provider_reference = COALESCE($4, provider_reference),
       card_token = CASE WHEN $5 THEN NULL ELSE card_token END,
       updated_at = now()
     WHERE id = $1`,
    [id, change.status, change.declineReason ?? null, change.providerReference ?? null, change.clearCardToken ?? false],
  );
}
