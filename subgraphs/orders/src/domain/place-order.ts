import { badInput, domainError, ErrorCode } from '@commerce/service-kit';
import type { CatalogProductRow, OrderItemRow } from '../data/rows';

export interface PlaceOrderInput {
  shopId: string;
  items: readonly { productId: string; quantity: number }[];
  deliveryAddress: string;
  cardToken: string;
}

export const placeOrderLimits = {
  maxItems: 50,
  maxQuantity: 1000,
  maxAddressLength: 500,
  maxCardTokenLength: 200,
} as const;

// total_cents is a Postgres int.
const maxTotalCents = 2 ** 31 - 1;

/**
 * Checks everything that needs no database, so a bad request is refused
 * before anything is read or written. Returns the input normalised (trimmed,
 * ids in lower case).
 */
export function validatePlaceOrder(input: PlaceOrderInput): PlaceOrderInput {
  const { maxItems, maxQuantity, maxAddressLength, maxCardTokenLength } = placeOrderLimits;
  if (input.items.length < 1 || input.items.length > maxItems) {
    throw badInput('input.items', `An order has 1 to ${maxItems} items`);
  }
  // Ids are uuids, which Postgres returns in lower case; compare them in that form.
  const items = input.items.map((item) => ({ productId: item.productId.toLowerCase(), quantity: item.quantity }));
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > maxQuantity) {
      throw badInput(`input.items.${index}.quantity`, `A quantity is 1 to ${maxQuantity}`);
    }
    if (seen.has(item.productId)) {
      throw badInput(`input.items.${index}.productId`, 'List each product once, with its total quantity');
    }
    seen.add(item.productId);
  });
  const deliveryAddress = input.deliveryAddress.trim();
  if (deliveryAddress.length < 1 || deliveryAddress.length > maxAddressLength) {
    throw badInput('input.deliveryAddress', `A delivery address has 1 to ${maxAddressLength} characters`);
  }
  const cardToken = input.cardToken.trim();
  if (cardToken.length < 1 || cardToken.length > maxCardTokenLength) {
    throw badInput('input.cardToken', `A card token has 1 to ${maxCardTokenLength} characters`);
  }
  return { shopId: input.shopId.toLowerCase(), items, deliveryAddress, cardToken };
}

export interface PricedOrder {
  items: Omit<OrderItemRow, 'orderId'>[];
  totalCents: number;
}

/**
 * Prices every line from the read model as it is now. A product orders has
 * never heard of, or one of another shop, is PRODUCT_UNAVAILABLE naming it, so
 * the client can drop that line. Stock is not checked here: catalog reserves
 * it after the order is placed, and rejects the order if it cannot.
 */
export function priceOrder(
  shopId: string,
  items: PlaceOrderInput['items'],
  products: readonly CatalogProductRow[],
): PricedOrder {
  const byId = new Map(products.map((product) => [product.productId, product]));
  const priced = items.map((item, position) => {
    const product = byId.get(item.productId);
    if (!product || product.shopId !== shopId) {
      throw domainError(ErrorCode.ProductUnavailable, `Product ${item.productId} is not sold by this shop`, {
        productId: item.productId,
      });
    }
    return { position, productId: item.productId, quantity: item.quantity, unitPriceCents: product.priceCents };
  });
  const totalCents = priced.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  if (totalCents > maxTotalCents) throw badInput('input.items', 'The order total is too large');
  return { items: priced, totalCents };
}
