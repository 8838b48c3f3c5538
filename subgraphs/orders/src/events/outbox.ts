/** Where orders' outbox table lives; events are appended there in the transaction of their change. */
export const outboxSchema = 'orders';
