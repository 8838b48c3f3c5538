import { GraphQLError } from 'graphql';
import type { CatalogProductRow } from '../src/data/rows';
import { priceOrder, validatePlaceOrder, type PlaceOrderInput } from '../src/domain/place-order';

const shopId = '11111111-1111-4111-8111-111111111111';
const otherShopId = '22222222-2222-4222-8222-222222222222';
const product = (productId: string, priceCents: number, shop = shopId): CatalogProductRow => ({
  productId,
  shopId: shop,
  name: productId,
  priceCents,
  changedAt: new Date(),
});

const valid: PlaceOrderInput = {
  shopId,
  items: [{ productId: 'a', quantity: 2 }],
  deliveryAddress: '  1 Main St  ',
  cardToken: 'tok_visa',
};

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? { code: error.extensions.code, ...error.extensions } : error;
  }
  return 'no error';
}

describe('placing an order, before any database work', () => {
  it('accepts a valid input and trims the address', () => {
    expect(validatePlaceOrder(valid).deliveryAddress).toBe('1 Main St');
  });

  it('names the offending field of a bad input', () => {
    expect(codeOf(() => validatePlaceOrder({ ...valid, items: [{ productId: 'a', quantity: 1.5 }] }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.items.0.quantity',
    });
    expect(
      codeOf(() =>
        validatePlaceOrder({ ...valid, items: [{ productId: 'a', quantity: 1 }, { productId: 'a', quantity: 1 }] }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items.1.productId' });
    expect(codeOf(() => validatePlaceOrder({ ...valid, cardToken: '   ' }))).toMatchObject({ field: 'input.cardToken' });
    const upper = 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA';
    expect(
      codeOf(() =>
        validatePlaceOrder({ ...valid, items: [{ productId: upper, quantity: 1 }, { productId: upper.toLowerCase(), quantity: 1 }] }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items.1.productId' });
  });

  it('prices each line at the read model price and totals the order', () => {
    const priced = priceOrder(shopId, [{ productId: 'a', quantity: 2 }, { productId: 'b', quantity: 3 }], [
      product('a', 250),
      product('b', 100),
    ]);
    expect(priced).toEqual({
      items: [
        { position: 0, productId: 'a', quantity: 2, unitPriceCents: 250 },
        { position: 1, productId: 'b', quantity: 3, unitPriceCents: 100 },
      ],
      totalCents: 800,
    });
  });

  it('refuses a product of another shop as unavailable, naming it', () => {
    expect(codeOf(() => priceOrder(shopId, [{ productId: 'x', quantity: 1 }], [product('x', 100, otherShopId)]))).toMatchObject({
      code: 'PRODUCT_UNAVAILABLE',
      productId: 'x',
    });
  });

  it('refuses a total that does not fit the column', () => {
    expect(codeOf(() => priceOrder(shopId, [{ productId: 'a', quantity: 1000 }], [product('a', 3_000_000)]))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});
