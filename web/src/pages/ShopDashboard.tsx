import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  CreateProductDocument,
  InventoryChangedDocument,
  LowStockDocument,
  OrderPlacedDocument,
  OrderStatusUpdatedDocument,
  RestockProductDocument,
  ShopCancelOrderDocument,
  ShopOrdersDocument,
  ShopProductsDocument,
  ShopsDocument,
  UpdateOrderStatusDocument,
  UpdateProductDocument,
  type OrderStatus,
  type ShopOrderFieldsFragment,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { statusWord } from '../errors';
import { formatPrice, formatTime, shortId } from '../format';
import { useSession } from '../session/use-session';

/** The moves a shop's owner may make (subgraphs/orders/src/order-lifecycle.ts); admins also make the system's. */
const ownerMoves: Record<OrderStatus, OrderStatus[]> = {
  PENDING: ['CANCELLED'],
  CONFIRMED: ['PREPARING', 'CANCELLED'],
  PREPARING: ['READY_FOR_PICKUP', 'CANCELLED'],
  READY_FOR_PICKUP: ['CANCELLED'],
  OUT_FOR_DELIVERY: [],
  DELIVERED: [],
  CANCELLED: [],
  REJECTED: [],
};
const adminMoves: Partial<Record<OrderStatus, OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'REJECTED', 'CANCELLED'],
  READY_FOR_PICKUP: ['OUT_FOR_DELIVERY', 'CANCELLED'],
  OUT_FOR_DELIVERY: ['DELIVERED'],
};
const finished = new Set<OrderStatus>(['DELIVERED', 'CANCELLED', 'REJECTED']);

function FollowStatus({ orderId }: { orderId: string }) {
  useSubscription(OrderStatusUpdatedDocument, { variables: { orderId } });
  return null;
}

function OrderRow({ order, admin }: { order: ShopOrderFieldsFragment; admin: boolean }) {
  const [move, moving] = useMutation(UpdateOrderStatusDocument);
  const [cancel, cancelling] = useMutation(ShopCancelOrderDocument);
  const next = admin ? (adminMoves[order.status] ?? ownerMoves[order.status]) : ownerMoves[order.status];
  const busy = moving.loading || cancelling.loading;
  return (
    <li className="card order-row">
      <p>
        <strong>Order {shortId(order.id)}</strong> <span className={`badge status-${order.status.toLowerCase()}`}>{statusWord(order.status)}</span>{' '}
        {formatPrice(order.totalCents)}, at {formatTime(order.createdAt)}
      </p>
      <p className="items">{order.items.map((item) => `${item.quantity} × ${item.product.name}`).join(', ')}</p>
      {next.length > 0 ? (
        <div role="group" aria-label={`Move order ${shortId(order.id)} to`} className="moves">
          <span aria-hidden="true">Move to:</span>
          {next.map((status) => (
            <button
              key={status}
              type="button"
              className={status === 'CANCELLED' ? 'danger' : undefined}
              disabled={busy}
              onClick={() =>
                void (status === 'CANCELLED' ? cancel({ variables: { id: order.id } }) : move({ variables: { id: order.id, status } })).catch(() => undefined)
              }
            >
              {statusWord(status)}
            </button>
          ))}
        </div>
      ) : null}
      <ErrorMessage error={moving.error ?? cancelling.error} />
      {finished.has(order.status) ? null : <FollowStatus orderId={order.id} />}
    </li>
  );
}

function Orders({ shopId, shopName, admin }: { shopId: string; shopName: string; admin: boolean }) {
  const { data, error } = useQuery(ShopOrdersDocument, { variables: { shopId }, fetchPolicy: 'cache-and-network' });
  useSubscription(OrderPlacedDocument, {
    variables: { shopId },
    onData: ({ client, data: placed }) => {
      const order = placed.data?.orderPlaced;
      if (!order) return;
      // At least once: an order already listed is not added twice.
      client.cache.updateQuery({ query: ShopOrdersDocument, variables: { shopId } }, (list) =>
        list && !list.shopOrders.some((o) => o.id === order.id) ? { ...list, shopOrders: [order, ...list.shopOrders] } : list,
      );
    },
  });
  const orders = [...(data?.shopOrders ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const open = orders.filter((order) => !finished.has(order.status));
  const done = orders.filter((order) => finished.has(order.status)).slice(0, 10);
  return (
    <section aria-labelledby={`orders-${shopId}`}>
      <h2 id={`orders-${shopId}`}>Orders at {shopName}</h2>
      <ErrorMessage error={error} />
      {data && open.length === 0 ? <p>No open orders. New ones appear here as they are placed.</p> : null}
      <ul className="orders" aria-label={`Open orders at ${shopName}`}>
        {open.map((order) => (
          <OrderRow key={order.id} order={order} admin={admin} />
        ))}
      </ul>
      {/* Visible, not folded away: an order that finished a moment ago is still one to find. */}
      {done.length > 0 ? (
        <>
          <h3>Recently finished</h3>
          <ul className="orders" aria-label={`Finished orders at ${shopName}`}>
            {done.map((order) => (
              <OrderRow key={order.id} order={order} admin={admin} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Restock({ productId, name }: { productId: string; name: string }) {
  const [quantity, setQuantity] = useState(10);
  const [restock, { loading, error }] = useMutation(RestockProductDocument);
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void restock({ variables: { productId, quantity } }).catch(() => undefined);
      }}
    >
      <input type="number" min={1} max={1_000_000} required aria-label={`Units to add to ${name}`} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} />
      <button type="submit" disabled={loading}>
        Restock {name}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

interface EditableProduct {
  id: string;
  name: string;
  description?: string | null;
  priceCents: number;
}

/** An "Edit" button that opens a small form for the product's name, price and description. */
function EditProduct({ product }: { product: EditableProduct }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const formId = useId();
  const initial = { name: product.name, price: (product.priceCents / 100).toFixed(2), description: product.description ?? '' };
  const [form, setForm] = useState(initial);
  const [update, { loading, error, reset }] = useMutation(UpdateProductDocument);
  const close = () => {
    setOpen(false);
    reset();
    // Back to the button that opened the form, so keyboard users keep their place.
    toggle.current?.focus();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Only what changed is sent: the graph keeps the fields left out.
    const priceCents = Math.round(Number(form.price) * 100);
    const input = {
      productId: product.id,
      ...(form.name !== product.name ? { name: form.name } : {}),
      ...(priceCents !== product.priceCents ? { priceCents } : {}),
      ...(form.description !== (product.description ?? '') ? { description: form.description || null } : {}),
    };
    if (Object.keys(input).length === 1) return close();
    const { data } = await update({ variables: { input } }).catch(() => ({ data: undefined }));
    if (data) close();
  };
  return (
    <>
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        aria-label={`Edit ${product.name}`}
        onClick={() => {
          if (open) return close();
          setForm(initial);
          setOpen(true);
        }}
      >
        Edit
      </button>
      {open ? (
        <form id={formId} className="stack" onSubmit={submit} aria-label={`Edit ${product.name}`}>
          <label>
            Name
            <input required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            Price
            <input type="number" min="0.01" step="0.01" required value={form.price} onChange={(e) => setForm({ ...form, price: e.target.value })} />
          </label>
          <label>
            Description
            <input maxLength={2000} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          </label>
          <ErrorMessage error={error} />
          <div className="moves">
            <button type="submit" disabled={loading}>
              Save {product.name}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}

function NewProduct({ shopId, onCreated }: { shopId: string; onCreated: () => void }) {
  const empty = { name: '', description: '', price: '', stock: '10' };
  const [form, setForm] = useState(empty);
  const [create, { loading, error }] = useMutation(CreateProductDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = {
      shopId,
      name: form.name,
      description: form.description || null,
      priceCents: Math.round(Number(form.price) * 100),
      stock: Number(form.stock),
    };
    const { data } = await create({ variables: { input } }).catch(() => ({ data: undefined }));
    if (data) {
      setForm(empty);
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} className="stack card" aria-labelledby="new-product-title">
      <h3 id="new-product-title">Add a product</h3>
      <label>
        Product name
        <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        Description
        <input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
      </label>
      <label>
        Price in euros
        <input type="number" min="0.01" step="0.01" required value={form.price} onChange={(e) => setForm({ ...form, price: e.target.value })} />
      </label>
      <label>
        Units in stock
        <input type="number" min={0} required value={form.stock} onChange={(e) => setForm({ ...form, stock: e.target.value })} />
      </label>
      <ErrorMessage error={error} />
      <button type="submit" disabled={loading}>
        Add product
      </button>
    </form>
  );
}

interface Alert {
  key: string;
  text: string;
}

function Products({ shopId, shopName, threshold }: { shopId: string; shopName: string; threshold: number }) {
  const { data, error, refetch } = useQuery(ShopProductsDocument, { variables: { shopId, search: null } });
  useSubscription(InventoryChangedDocument, { variables: { shopId } });
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useSubscription(LowStockDocument, {
    variables: { shopId },
    onData: ({ data: alert }) => {
      const low = alert.data?.lowStock;
      if (!low) return;
      const text = `${formatTime(low.at)}: ${low.product.name} is down to ${low.stock} (threshold ${low.threshold}).`;
      setAlerts((seen) => [{ key: `${low.product.id}-${low.at}`, text }, ...seen].slice(0, 10));
    },
  });
  const products = data?.products.edges.map((edge) => edge.node) ?? [];
  const low = products.filter((product) => product.stock <= threshold);
  return (
    <section aria-labelledby="products-title">
      <h2 id="products-title">Products and stock at {shopName}</h2>
      <ErrorMessage error={error} />
      <div className="columns">
        <div>
          <h3>Under the threshold of {threshold} now</h3>
          {low.length === 0 ? <p>Every product is above the threshold.</p> : null}
          <ul className="plain">
            {low.map((product) => (
              <li key={product.id}>
                {product.name}: {product.stock} left
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Low-stock alerts</h3>
          <ul className="plain" aria-live="polite">
            {alerts.map((alert) => (
              <li key={alert.key}>{alert.text}</li>
            ))}
          </ul>
          {alerts.length === 0 ? <p>Alerts appear here as stock falls under the threshold.</p> : null}
        </div>
      </div>
      <div className="table-wrap">
        <table className="lines">
          <caption className="visually-hidden">Products</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Price</th>
              <th scope="col">Stock</th>
              <th scope="col">Restock</th>
              <th scope="col">Edit</th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <tr key={product.id} className={product.stock <= threshold ? 'low' : undefined}>
                <th scope="row">{product.name}</th>
                <td>{formatPrice(product.priceCents)}</td>
                <td>{product.stock} in stock</td>
                <td>
                  <Restock productId={product.id} name={product.name} />
                </td>
                <td>
                  <EditProduct product={product} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NewProduct shopId={shopId} onCreated={() => void refetch()} />
    </section>
  );
}

export function ShopDashboardPage() {
  const session = useSession();
  const { data, error } = useQuery(ShopsDocument);
  const admin = session?.user.role === 'ADMIN';
  const shops = data?.shops.filter((shop) => admin || shop.owner.id === session?.user.id) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const shop = shops.find((s) => s.id === chosen) ?? shops[0];
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Shop dashboard</h1>
      <ErrorMessage error={error} />
      {data && shops.length === 0 ? <p>You do not run a shop yet.</p> : null}
      {/* Every shop's orders at once: an order must not wait unseen behind another shop's tab. */}
      {shops.map((s) => (
        <Orders key={s.id} shopId={s.id} shopName={s.name} admin={admin} />
      ))}
      {shops.length > 1 ? (
        <label className="shop-picker">
          Products of
          <select value={shop?.id} onChange={(e) => setChosen(e.target.value)}>
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {shop ? <Products key={shop.id} shopId={shop.id} shopName={shop.name} threshold={shop.lowStockThreshold} /> : null}
    </section>
  );
}
