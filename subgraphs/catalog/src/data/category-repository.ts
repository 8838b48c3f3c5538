import { In, type DataSource } from 'typeorm';
import { isUuid } from '../domain/validation';
import { CategoryEntity } from './entities';
import type { CategoryRow } from './rows';

export function categoryRepository(db: DataSource) {
  const categories = db.getRepository(CategoryEntity);
  return {
    async findByIds(ids: readonly string[]): Promise<CategoryRow[]> {
      const valid = ids.filter(isUuid);
      return valid.length === 0 ? [] : categories.findBy({ id: In(valid) });
    },

    async list(): Promise<CategoryRow[]> {
      return categories.find({ order: { name: 'ASC' } });
    },

    /** The category with this name, created if it does not exist yet (so seeds can rerun). */
    async ensure(name: string): Promise<CategoryRow> {
      const rows: CategoryRow[] = await db.query(
        `INSERT INTO catalog.categories (name) VALUES ($1)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING id, name`,
        [name],
      );
      return rows[0]!;
    },
  };
}

export type CategoryRepository = ReturnType<typeof categoryRepository>;
