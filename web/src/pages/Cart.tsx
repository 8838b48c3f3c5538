import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { CartStockDocument, PlaceOrderDocument } from '../__generated__/graphql';
import { cartStore } from '../cart/cart-store';
import { useCart } from '../cart/use-cart';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatPrice } from '../format';
import { Link, navigate } from '../router';
import { useSession } from '../session/use-session';

export function CartPage() {
  const cart = useCart();
  const session = useSession();
  const client = useApolloClient();
  const [address, setAddress] = useState('');
  const [cardToken, setCardToken] = useState('tok_visa');
  const [problem, setProblem] = useState('');
  const [placeOrder, { loading, error }] = useMutation(PlaceOrderDocument);

  if (!cart) {
    return (
      <section aria-labelledby="cart-title">
        <h1 id="cart-title">Your cart</h1>
        <p>
          Your cart is empty. <Link href="/">Browse the shops</Link>.
        </p>
      </section>
    );
  }
  const total = cart.lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    if (!session) {
      navigate(`/signin?next=${encodeURIComponent('/cart')}`);
      return;
    }
    // Stock is decided when the order is placed; asking first lets us say how many are left.
    const { data: stock } = await client.query({ query: CartStockDocument, variables: { shopId: cart.shopId }, fetchPolicy: 'network-only' }).catch(() => ({ data: undefined }));
    const left = new Map(stock?.products.edges.map(({ node }) => [node.id, node.stock]) ?? []);
    const short = cart.lines.find((line) => left.has(line.productId) && left.get(line.productId)! < line.quantity);
    if (short) {
      const n = left.get(short.productId)!;
      setProblem(n === 0 ? `${short.name} is out of stock. Remove it to place your order.` : `Only ${n} ${short.name} left in stock. Lower the quantity to ${n} or fewer.`);
      return;
    }
    const { data } = await placeOrder({
      variables: {
        input: {
          shopId: cart.shopId,
          items: cart.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          deliveryAddress: address,
          cardToken,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (data) {
      cartStore.clear();
      navigate(`/orders/${data.placeOrder.id}`);
    }
  };

  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      <p>From {cart.shopName}</p>
      <form onSubmit={submit} className="stack">
        <table className="lines">
          <caption className="visually-hidden">Products in your cart</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Quantity</th>
              <th scope="col">Price</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cart.lines.map((line) => (
              <tr key={line.productId}>
                <th scope="row">{line.name}</th>
                <td>
                  <input
                    type="number"
                    min={1}
                    max={1000}
                    required
                    aria-label={`Quantity of ${line.name}`}
                    value={line.quantity}
                    onChange={(event) => cartStore.setQuantity(line.productId, Math.max(1, Number(event.target.value) || 1))}
                  />
                </td>
                <td>{formatPrice(line.priceCents * line.quantity)}</td>
                <td>
                  <button type="button" className="link" onClick={() => cartStore.remove(line.productId)}>
                    Remove {line.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td />
              <td>{formatPrice(total)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
        <label>
          Delivery address
          <textarea name="address" autoComplete="street-address" required maxLength={500} rows={2} value={address} onChange={(e) => setAddress(e.target.value)} />
        </label>
        <label>
          Card token
          <input name="card-token" required maxLength={200} aria-describedby="card-help" value={cardToken} onChange={(e) => setCardToken(e.target.value)} />
        </label>
        <div id="card-help" className="hint">
          <p>This is a test shop: no real card is charged. Use a test card token:</p>
          <ul>
            <li>
              <code>tok_visa</code> (or any other token) is approved;
            </li>
            <li>
              <code>tok_decline</code> (any token starting with it) is declined.
            </li>
          </ul>
        </div>
        <ErrorMessage text={problem || undefined} />
        <ErrorMessage error={error} />
        {session ? null : <p>You will be asked to sign in first.</p>}
        <button type="submit" disabled={loading}>
          Place order
        </button>
      </form>
    </section>
  );
}
