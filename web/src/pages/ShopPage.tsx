import { useDeferredValue, useState } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { InventoryChangedDocument, ShopProductsDocument } from '../__generated__/graphql';
import { cartStore } from '../cart/cart-store';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatPrice } from '../format';
import { Link } from '../router';

export function ShopPage({ shopId }: { shopId: string }) {
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const { data, previousData, error } = useQuery(ShopProductsDocument, { variables: { shopId, search: deferredSearch || null } });
  // Each change carries the product's id and stock, which updates the cached product in place.
  useSubscription(InventoryChangedDocument, { variables: { shopId } });
  const [notice, setNotice] = useState('');
  const shown = data ?? previousData;
  const shop = shown?.shop;

  if (shown && !shop) return <ErrorMessage text="This shop does not exist (any more)." />;
  return (
    <section aria-labelledby="shop-title">
      <p className="crumbs">
        <Link href="/">All shops</Link>
      </p>
      <h1 id="shop-title">{shop?.name ?? 'Shop'}</h1>
      <form role="search" onSubmit={(event) => event.preventDefault()} className="search">
        <label>
          Search products
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
      </form>
      <ErrorMessage error={error} />
      <div aria-live="polite" className="notice">
        {notice}
      </div>
      {shown ? (
        <ul className="products">
          {shown.products.edges.map(({ node: product }) => (
            <li key={product.id} className="card product">
              <h2>{product.name}</h2>
              {product.description ? <p>{product.description}</p> : null}
              <p className="price">{formatPrice(product.priceCents)}</p>
              <p className={product.stock === 0 ? 'stock out' : 'stock'}>{product.stock} in stock</p>
              <button
                type="button"
                disabled={product.stock === 0}
                onClick={() => {
                  const replaced = cartStore.add(shop!, { productId: product.id, name: product.name, priceCents: product.priceCents });
                  setNotice(
                    replaced
                      ? `Your cart held another shop's products; it now holds ${product.name} from ${shop!.name}.`
                      : `Added ${product.name} to your cart.`,
                  );
                }}
              >
                Add {product.name} to cart
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>Loading products…</p>
      )}
      {shown && shown.products.edges.length === 0 ? <p>No products match “{deferredSearch}”.</p> : null}
      <p>
        <Link href="/cart">Go to your cart</Link>
      </p>
    </section>
  );
}
