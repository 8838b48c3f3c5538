import { useEffect, useState } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { CancelOrderDocument, OrderDocument, OrderUpdatedDocument, type OrderDetailFragment } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { PositionPlot, type Point } from '../components/PositionPlot';
import { rejectionSentence, statusWord } from '../errors';
import { formatDateTime, formatPrice, formatTime, paymentWord, shipmentWord, shortId } from '../format';
import { Link } from '../router';

/** A customer may cancel while the shop has not handed the order over. */
const customerMayCancel = new Set(['PENDING', 'CONFIRMED', 'PREPARING']);

function useTrack(order: OrderDetailFragment | null | undefined): Point[] {
  const [track, setTrack] = useState<Point[]>([]);
  const position = order?.shipment?.position;
  useEffect(() => {
    if (!position) return;
    setTrack((seen) => {
      const last = seen[seen.length - 1];
      return last && last.lat === position.lat && last.lng === position.lng ? seen : [...seen, { lat: position.lat, lng: position.lng }];
    });
  }, [position]);
  return track;
}

function OutOfStockDetail({ order }: { order: OrderDetailFragment }) {
  const short = order.items.filter((item) => item.product.stock < item.quantity);
  if (short.length === 0) return null;
  return (
    <ul>
      {short.map((item) => (
        <li key={item.product.id}>
          {item.product.name}: you asked for {item.quantity}, only {item.product.stock} left.
        </li>
      ))}
    </ul>
  );
}

export function OrderPage({ orderId }: { orderId: string }) {
  const { data, error, loading } = useQuery(OrderDocument, { variables: { id: orderId } });
  // The current state first, then the order after every change; each lands in the cache by id.
  const live = useSubscription(OrderUpdatedDocument, { variables: { orderId } });
  const order = live.data?.orderUpdated ?? data?.order;
  const track = useTrack(order);
  const [cancel, cancelling] = useMutation(CancelOrderDocument);

  if (error && !order) return <ErrorMessage error={error} />;
  if (!order) return <p>{loading ? 'Loading the order…' : 'There is no such order.'}</p>;
  const rejection = order.history.find((change) => change.status === 'REJECTED');
  return (
    <section aria-labelledby="order-title">
      <p className="crumbs">
        <Link href="/orders">My orders</Link>
      </p>
      <h1 id="order-title">Order {shortId(order.id)}</h1>
      <p role="status" className={`status status-${order.status.toLowerCase()}`}>
        Status: <strong>{statusWord(order.status)}</strong>
      </p>
      {rejection ? (
        <div className="error" role="alert">
          <p>{rejectionSentence(rejection.reason)}</p>
          {/OUT_OF_STOCK/.test(rejection.reason ?? '') ? <OutOfStockDetail order={order} /> : null}
        </div>
      ) : null}
      <ErrorMessage error={live.error} />
      <div className="columns">
        <div>
          <h2>Timeline</h2>
          <ol className="timeline">
            {order.history.map((change, i) => (
              <li key={`${change.status}-${i}`}>
                <time dateTime={change.at}>{formatTime(change.at)}</time> {statusWord(change.status)}
              </li>
            ))}
          </ol>
          <h2>Payment</h2>
          <p>{order.payment ? paymentWord(order.payment.status) : 'Not opened yet'}</p>
          <h2>Delivery</h2>
          <p>To {order.deliveryAddress}</p>
          {order.shipment ? (
            <>
              <p>{shipmentWord(order.shipment.status)}</p>
              <p>Courier: {order.shipment.courier?.name ?? 'not assigned yet'}</p>
              {order.shipment.eta && order.status !== 'DELIVERED' ? (
                <p>
                  Expected by <time dateTime={order.shipment.eta}>{formatTime(order.shipment.eta)}</time>
                </p>
              ) : null}
            </>
          ) : (
            <p>A courier is booked once the shop has the order ready.</p>
          )}
        </div>
        <div>
          <h2>Courier's position</h2>
          <PositionPlot track={track} />
        </div>
      </div>
      <h2>Items from {order.shop.name}</h2>
      <ul className="plain">
        {order.items.map((item) => (
          <li key={item.product.id}>
            {item.quantity} × {item.product.name}, {formatPrice(item.unitPriceCents * item.quantity)}
          </li>
        ))}
      </ul>
      <p>
        Total {formatPrice(order.totalCents)}, placed {formatDateTime(order.createdAt)}
      </p>
      {customerMayCancel.has(order.status) ? (
        <button type="button" className="danger" disabled={cancelling.loading} onClick={() => void cancel({ variables: { id: order.id } }).catch(() => undefined)}>
          Cancel order
        </button>
      ) : null}
      <ErrorMessage error={cancelling.error} />
    </section>
  );
}
