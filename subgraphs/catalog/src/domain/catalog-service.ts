import {
  badInput,
  forbidden,
  notFound,
  requireIdentity,
  requireRole,
  unauthenticated,
  type Identity,
} from '@commerce/service-kit';
import { StockOverflowError, UnknownCategoryError, type ProductChanges, type ProductFilter } from '../data/product-repository';
import type { CatalogRepositories } from '../data/repositories';
import type { ProductRow, ShopRow } from '../data/rows';
import { decodeCursor, defaultPageSize, encodeCursor, maxPageSize } from './pagination';
import { isUuid, requireName, requireRange } from './validation';

export const limits = {
  shopName: 100,
  productName: 200,
  description: 2000,
  search: 200,
  maxPriceCents: 10_000_000,
  maxStock: 1_000_000,
  maxRestock: 1_000_000,
  defaultLowStockThreshold: 5,
  maxLowStockThreshold: 1_000_000,
} as const;

export interface CreateShopRequest {
  name: string;
  lowStockThreshold?: number | null;
}

export interface CreateProductRequest {
  shopId: string;
  name: string;
  description?: string | null;
  priceCents: number;
  stock: number;
  categoryId?: string | null;
}

/** Absent (undefined) fields keep their value; GraphQL passes an explicit null as null. */
export interface UpdateProductRequest {
  productId: string;
  name?: string | null;
  description?: string | null;
  priceCents?: number | null;
}

export interface ProductPageRequest {
  shopId?: string | null;
  search?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface ProductPage {
  edges: { cursor: string; node: ProductRow }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Blank means none; longer than the limit is refused. */
function optionalDescription(value: string | null | undefined): string | null {
  const description = value?.trim() || null;
  if (description && description.length > limits.description) {
    throw badInput('input.description', `input.description must have at most ${limits.description} characters`);
  }
  return description;
}

const unknownCategory = () => badInput('input.categoryId', 'No category has this id');

/**
 * Catalog rules as plain functions, tested without GraphQL. Every check runs
 * before anything is written, and every refusal is a typed GraphQLError.
 */
export function catalogService({ shops, categories, products }: CatalogRepositories) {
  /** The shop, if `caller` may change it (its owner, or an admin). */
  const shopManagedBy = async (caller: Identity, shopId: string): Promise<ShopRow> => {
    const shop = await shops.findById(shopId);
    if (!shop) throw notFound('Shop', shopId);
    if (caller.role !== 'ADMIN' && shop.ownerId !== caller.userId.toLowerCase()) {
      throw forbidden("Only the shop's owner may change its products");
    }
    return shop;
  };

  return {
    async createShop(identity: Identity | null, input: CreateShopRequest): Promise<ShopRow> {
      const caller = requireRole(identity, 'SHOP_OWNER');
      // owner_id is a uuid column; an identity that is not one cannot own anything.
      if (!isUuid(caller.userId)) throw unauthenticated();
      const name = requireName('input.name', input.name, limits.shopName);
      const lowStockThreshold = requireRange(
        'input.lowStockThreshold',
        input.lowStockThreshold ?? limits.defaultLowStockThreshold,
        0,
        limits.maxLowStockThreshold,
      );
      return shops.create({ ownerId: caller.userId.toLowerCase(), name, lowStockThreshold });
    },

    async createProduct(identity: Identity | null, input: CreateProductRequest): Promise<ProductRow> {
      const caller = requireIdentity(identity);
      const shop = await shopManagedBy(caller, input.shopId);
      const name = requireName('input.name', input.name, limits.productName);
      const description = optionalDescription(input.description);
      const priceCents = requireRange('input.priceCents', input.priceCents, 1, limits.maxPriceCents);
      const stock = requireRange('input.stock', input.stock, 0, limits.maxStock);
      const categoryId = input.categoryId ?? null;
      if (categoryId !== null && (await categories.findByIds([categoryId])).length === 0) throw unknownCategory();
      try {
        return await products.create({ shopId: shop.id, categoryId, name, description, priceCents, stock });
      } catch (error) {
        if (error instanceof UnknownCategoryError) throw unknownCategory();
        throw error;
      }
    },

    async restockProduct(identity: Identity | null, productId: string, quantity: number): Promise<ProductRow> {
      const caller = requireIdentity(identity);
      const product = await products.findById(productId);
      if (!product) throw notFound('Product', productId);
      await shopManagedBy(caller, product.shopId);
      requireRange('quantity', quantity, 1, limits.maxRestock);
      try {
        const restocked = await products.restock(product.id, quantity);
        // Products are never deleted, so this only guards against a future that deletes them.
        if (!restocked) throw notFound('Product', productId);
        return restocked;
      } catch (error) {
        if (error instanceof StockOverflowError) throw badInput('quantity', 'The stock would exceed what can be stored');
        throw error;
      }
    },

    async updateProduct(identity: Identity | null, input: UpdateProductRequest): Promise<ProductRow> {
      const caller = requireIdentity(identity);
      const product = await products.findById(input.productId);
      if (!product) throw notFound('Product', input.productId);
      await shopManagedBy(caller, product.shopId);
      const changes: ProductChanges = {};
      if (input.name !== undefined) {
        if (input.name === null) throw badInput('input.name', 'input.name cannot be null');
        changes.name = requireName('input.name', input.name, limits.productName);
      }
      if (input.description !== undefined) changes.description = optionalDescription(input.description);
      if (input.priceCents !== undefined) {
        if (input.priceCents === null) throw badInput('input.priceCents', 'input.priceCents cannot be null');
        changes.priceCents = requireRange('input.priceCents', input.priceCents, 1, limits.maxPriceCents);
      }
      if (Object.keys(changes).length === 0) {
        throw badInput('input', 'Give at least one of name, description or priceCents to change');
      }
      const updated = await products.update(product.id, changes);
      // Products are never deleted, so this only guards against a future that deletes them.
      if (!updated) throw notFound('Product', input.productId);
      return updated;
    },

    async productPage(request: ProductPageRequest): Promise<ProductPage> {
      const first = requireRange('first', request.first ?? defaultPageSize, 1, maxPageSize);
      const after = request.after ? decodeCursor(request.after) : null;
      const filter: ProductFilter = {};
      if (request.shopId != null) {
        if (!isUuid(request.shopId)) throw badInput('shopId', 'shopId is not a shop id');
        filter.shopId = request.shopId;
      }
      const search = request.search?.trim();
      if (search) {
        if (search.length > limits.search) throw badInput('search', `search must have at most ${limits.search} characters`);
        filter.search = search;
      }
      // One extra row tells whether another page follows, without a second count.
      const [rows, totalCount] = await Promise.all([products.page(filter, first + 1, after), products.count(filter)]);
      const page = rows.slice(0, first);
      const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount,
      };
    },
  };
}

export type CatalogService = ReturnType<typeof catalogService>;
