import { In, type DataSource } from 'typeorm';
import { appendEvents } from '@commerce/events';
import { shopChangedEvent } from '../events/published';
import { isUuid } from '../domain/validation';
import { ShopEntity } from './entities';
import type { ShopRow } from './rows';
import { noHooks, type WriteHooks } from './write-hooks';
import { config } from '../config';

export interface NewShop {
  ownerId: string;
  name: string;
  lowStockThreshold: number;
}

export function shopRepository(db: DataSource, hooks: WriteHooks = noHooks) {
  const shops = db.getRepository(ShopEntity);
  return {
    /** Unknown and malformed ids are simply absent from the result. */
    async findByIds(ids: readonly string[]): Promise<ShopRow[]> {
      const valid = ids.filter(isUuid);
      return valid.length === 0 ? [] : shops.findBy({ id: In(valid) });
    },

    async findById(id: string): Promise<ShopRow | null> {
      return isUuid(id) ? shops.findOneBy({ id }) : null;
    },

    async list(): Promise<ShopRow[]> {
      return shops.find({ order: { name: 'ASC', id: 'ASC' } });
    },

    /** Inserts the shop and its `catalog.shop.changed` event in one transaction. */
    async create(shop: NewShop): Promise<ShopRow> {
      const created = await db.transaction(async (manager) => {
        const repository = manager.getRepository(ShopEntity);
        const row = await repository.save(repository.create(shop));
        await appendEvents(manager, config.name, [shopChangedEvent(row)]);
        return row;
      });
      hooks.onCommitted();
      return created;
    },
  };
}

export type ShopRepository = ReturnType<typeof shopRepository>;
