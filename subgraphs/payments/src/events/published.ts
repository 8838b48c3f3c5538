/** The Postgres schema whose outbox table holds payments' events. */
export const outboxSchema = 'payments';
