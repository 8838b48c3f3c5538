import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  AcceptShipmentDocument,
  CourierShipmentsDocument,
  DeliverShipmentDocument,
  PickUpShipmentDocument,
  ReportPositionDocument,
  type ShipmentFieldsFragment,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime, shortId } from '../format';

/** A shipment's status as its courier reads it (the customer's words are in format.ts). */
const courierWords: Record<string, string> = {
  WAITING_FOR_COURIER: 'Waiting for a courier',
  ASSIGNED: 'Yours: collect it at the shop',
  PICKED_UP: 'Picked up: on the way to the customer',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

/** A demo route from the depot to the customers' side of town, for couriers without location access. */
const depot = { lat: 52.52, lng: 13.405 };
const destination = { lat: 52.5, lng: 13.45 };
const routeSteps = 6;
const routePoint = (step: number) => {
  const t = Math.min(step, routeSteps) / routeSteps;
  return { lat: depot.lat + (destination.lat - depot.lat) * t, lng: depot.lng + (destination.lng - depot.lng) * t };
};

function MyShipment({ shipment }: { shipment: ShipmentFieldsFragment }) {
  const [step, setStep] = useState(0);
  const [following, setFollowing] = useState(false);
  const [locationProblem, setLocationProblem] = useState('');
  const [pickUp, pickingUp] = useMutation(PickUpShipmentDocument);
  const [report, reporting] = useMutation(ReportPositionDocument);
  const [deliver, delivering] = useMutation(DeliverShipmentDocument);
  const watch = useRef<number | null>(null);
  const label = `shipment ${shortId(shipment.id)}`;

  useEffect(() => {
    if (!following) return;
    watch.current = navigator.geolocation.watchPosition(
      (position) => void report({ variables: { shipmentId: shipment.id, lat: position.coords.latitude, lng: position.coords.longitude } }).catch(() => undefined),
      () => {
        setLocationProblem('Your location is not available; step along the route instead.');
        setFollowing(false);
      },
      { enableHighAccuracy: true },
    );
    return () => {
      if (watch.current !== null) navigator.geolocation.clearWatch(watch.current);
    };
  }, [following, report, shipment.id]);

  const nextStep = () => {
    const next = step + 1;
    setStep(next);
    void report({ variables: { shipmentId: shipment.id, ...routePoint(next) } }).catch(() => undefined);
  };

  return (
    <li className="card">
      <p>
        <strong>Shipment {shortId(shipment.id)}</strong> to {shipment.deliveryAddress}
      </p>
      <p>
        {courierWords[shipment.status] ?? shipment.status}
        {shipment.eta ? `, due by ${formatTime(shipment.eta)}` : ''}
        {shipment.position ? `. Last position ${shipment.position.lat.toFixed(4)}, ${shipment.position.lng.toFixed(4)}` : ''}
      </p>
      <div className="moves">
        {shipment.status === 'ASSIGNED' ? (
          <button type="button" disabled={pickingUp.loading} onClick={() => void pickUp({ variables: { id: shipment.id } }).catch(() => undefined)}>
            Picked up {label}
          </button>
        ) : null}
        {shipment.status === 'ASSIGNED' || shipment.status === 'PICKED_UP' ? (
          <>
            <button type="button" disabled={reporting.loading || step >= routeSteps} onClick={nextStep}>
              Report next position on the route ({Math.min(step, routeSteps)} of {routeSteps})
            </button>
            {'geolocation' in navigator ? (
              <button type="button" aria-pressed={following} onClick={() => setFollowing(!following)}>
                {following ? 'Stop following my location' : 'Follow my location'}
              </button>
            ) : null}
          </>
        ) : null}
        {shipment.status === 'PICKED_UP' ? (
          <button type="button" disabled={delivering.loading} onClick={() => void deliver({ variables: { id: shipment.id } }).catch(() => undefined)}>
            Delivered {label}
          </button>
        ) : null}
      </div>
      <ErrorMessage text={locationProblem || undefined} />
      <ErrorMessage error={pickingUp.error ?? reporting.error ?? delivering.error} />
    </li>
  );
}

export function CourierPage() {
  // Shipments have no subscription of their own: the lists are read again every few seconds.
  const { data, error, refetch } = useQuery(CourierShipmentsDocument, { pollInterval: 3_000, fetchPolicy: 'cache-and-network' });
  const [accept, accepting] = useMutation(AcceptShipmentDocument);
  const mine = (data?.myShipments ?? []).filter((s) => s.status === 'ASSIGNED' || s.status === 'PICKED_UP');
  const waiting = data?.availableShipments ?? [];
  return (
    <section aria-labelledby="courier-title">
      <h1 id="courier-title">Deliveries</h1>
      <ErrorMessage error={error} />
      <h2>Yours now</h2>
      {data && mine.length === 0 ? <p>Nothing to deliver right now. Take a waiting shipment below.</p> : null}
      <ul className="cards">
        {mine.map((shipment) => (
          <MyShipment key={shipment.id} shipment={shipment} />
        ))}
      </ul>
      <h2>Waiting for a courier</h2>
      {data && waiting.length === 0 ? <p>No shipment is waiting.</p> : null}
      <ul className="cards">
        {waiting.map((shipment) => (
          <li key={shipment.id} className="card">
            <p>
              <strong>Shipment {shortId(shipment.id)}</strong> to {shipment.deliveryAddress}
            </p>
            <button
              type="button"
              disabled={accepting.loading}
              onClick={() =>
                void accept({ variables: { id: shipment.id } })
                  .then(() => refetch())
                  .catch(() => undefined)
              }
            >
              Take shipment {shortId(shipment.id)}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={accepting.error} />
    </section>
  );
}
