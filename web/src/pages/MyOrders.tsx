import { useQuery, useSubscription } from '@apollo/client/react';
import { MyOrdersDocument, OrderStatusUpdatedDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { statusWord } from '../errors';
import { formatDateTime, formatPrice, shortId } from '../format';
import { Link } from '../router';

const finished = new Set(['DELIVERED', 'CANCELLED', 'REJECTED']);

/** Follows one order's status; the cached order (and so the list) updates by itself. */
function FollowStatus({ orderId }: { orderId: string }) {
  useSubscription(OrderStatusUpdatedDocument, { variables: { orderId } });
  return null;
}

export function MyOrdersPage() {
  const { data, error, loading } = useQuery(MyOrdersDocument, { fetchPolicy: 'cache-and-network' });
  const orders = [...(data?.myOrders ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">My orders</h1>
      <ErrorMessage error={error} />
      {loading && !data ? <p>Loading your orders…</p> : null}
      {data && orders.length === 0 ? (
        <p>
          No orders yet. <Link href="/">Browse the shops</Link>.
        </p>
      ) : null}
      <ul className="cards">
        {orders.map((order) => (
          <li key={order.id} className="card">
            <Link href={`/orders/${order.id}`}>
              Order {shortId(order.id)} from {order.shop.name}
            </Link>
            <p>
              <span className={`badge status-${order.status.toLowerCase()}`}>{statusWord(order.status)}</span> {formatPrice(order.totalCents)},{' '}
              {formatDateTime(order.createdAt)}
            </p>
            {finished.has(order.status) ? null : <FollowStatus orderId={order.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
