import type { z } from 'zod';
import { productChanged, shopChanged } from './catalog';
import { orderPlaced } from './orders';

/**
 * The catalogue of event types: routing key → payload validator. Consumers
 * validate every payload before acting; an invalid one is a poison message.
 */
export const eventContracts = {
  'catalog.shop.changed': shopChanged,
  'catalog.product.changed': productChanged,
  'order.placed': orderPlaced,
} as const;

export type EventType = keyof typeof eventContracts;
export type PayloadOf<T extends EventType> = z.infer<(typeof eventContracts)[T]>;

export * from './catalog';
export * from './orders';
