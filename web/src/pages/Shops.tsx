import { useQuery } from '@apollo/client/react';
import { ShopsDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Link } from '../router';

export function ShopsPage() {
  const { data, error, loading } = useQuery(ShopsDocument);
  return (
    <section aria-labelledby="shops-title">
      <h1 id="shops-title">Shops</h1>
      <ErrorMessage error={error} />
      {loading && !data ? <p>Loading shops…</p> : null}
      <ul className="cards">
        {data?.shops.map((shop) => (
          <li key={shop.id} className="card">
            <Link href={`/shops/${shop.id}`}>{shop.name}</Link>
          </li>
        ))}
      </ul>
      {data && data.shops.length === 0 ? <p>No shops are open yet.</p> : null}
    </section>
  );
}
