import { z } from 'zod';

const id = z.string().uuid();

/** payments → orders (CONFIRMED): the provider authorized the order's amount. */
export const paymentAuthorized = z.object({ orderId: id, paymentId: id, amountCents: z.number().int().positive() });
export type PaymentAuthorized = z.infer<typeof paymentAuthorized>;

/** payments → orders (REJECTED), catalog (release stock): the provider declined. */
export const paymentDeclined = z.object({ orderId: id, paymentId: id, reason: z.string() });
export type PaymentDeclined = z.infer<typeof paymentDeclined>;

/** payments → anyone watching: CAPTURED, VOIDED or REFUNDED after the fact. */
export const paymentSettled = z.object({
  orderId: id,
  paymentId: id,
  status: z.enum(['CAPTURED', 'VOIDED', 'REFUNDED']),
});
export type PaymentSettled = z.infer<typeof paymentSettled>;
