import { z } from 'zod';

/** orders → catalog, payments: a customer placed an order (it is PENDING). */
export const orderPlaced = z.object({
  orderId: z.string().uuid(),
  customerId: z.string().uuid(),
  shopId: z.string().uuid(),
  items: z.array(z.object({ productId: z.string().uuid(), quantity: z.number().int().positive(), unitPriceCents: z.number().int().positive() })).min(1),
  totalCents: z.number().int().positive(),
  cardToken: z.string().min(1),
});
export type OrderPlaced = z.infer<typeof orderPlaced>;
