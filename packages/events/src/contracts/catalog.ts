import { z } from 'zod';

/** catalog → orders (read model of shops): a shop was created or edited. */
export const shopChanged = z.object({
  shopId: z.string().uuid(),
  ownerId: z.string().uuid(),
  name: z.string(),
});
export type ShopChanged = z.infer<typeof shopChanged>;

/** catalog → orders (read model of products): a product was created or edited. */
export const productChanged = z.object({
  productId: z.string().uuid(),
  shopId: z.string().uuid(),
  name: z.string(),
  priceCents: z.number().int().positive(),
});
export type ProductChanged = z.infer<typeof productChanged>;
