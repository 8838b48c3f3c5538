import { useEffect, useRef, type ReactNode } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { useCart } from './cart/use-cart';
import { OfflineBanner } from './components/OfflineBanner';
import { CartPage } from './pages/Cart';
import { CourierPage } from './pages/Courier';
import { MyOrdersPage } from './pages/MyOrders';
import { OrderPage } from './pages/OrderPage';
import { ShopDashboardPage } from './pages/ShopDashboard';
import { ShopPage } from './pages/ShopPage';
import { ShopsPage } from './pages/Shops';
import { SignInPage, SignUpPage } from './pages/SignIn';
import { Link, match, navigate, Redirect, usePath } from './router';
import { sessionStore } from './session/session-store';
import { useSession } from './session/use-session';
import type { Role } from './__generated__/graphql';

interface Route {
  pattern: string;
  title: string;
  /** Who may open it; unset, anyone. */
  roles?: Role[];
  render(params: Record<string, string>): ReactNode;
}

const routes: Route[] = [
  { pattern: '/', title: 'Shops', render: () => <ShopsPage /> },
  { pattern: '/signin', title: 'Sign in', render: () => <SignInPage /> },
  { pattern: '/signup', title: 'Create an account', render: () => <SignUpPage /> },
  { pattern: '/shops/:id', title: 'Shop', render: (p) => <ShopPage key={p.id} shopId={p.id!} /> },
  { pattern: '/cart', title: 'Your cart', render: () => <CartPage /> },
  { pattern: '/orders', title: 'My orders', roles: ['CUSTOMER', 'ADMIN'], render: () => <MyOrdersPage /> },
  { pattern: '/orders/:id', title: 'Order', roles: ['CUSTOMER', 'SHOP_OWNER', 'COURIER', 'ADMIN'], render: (p) => <OrderPage key={p.id} orderId={p.id!} /> },
  { pattern: '/shop', title: 'Shop dashboard', roles: ['SHOP_OWNER', 'ADMIN'], render: () => <ShopDashboardPage /> },
  { pattern: '/courier', title: 'Deliveries', roles: ['COURIER', 'ADMIN'], render: () => <CourierPage /> },
];

function Navigation() {
  const session = useSession();
  const cart = useCart();
  const client = useApolloClient();
  const role = session?.user.role;
  const count = cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
  const signOut = async () => {
    await sessionStore.signOut();
    await client.clearStore();
    navigate('/signin');
  };
  return (
    <nav aria-label="Main">
      <ul>
        <li>
          <Link href="/">Shops</Link>
        </li>
        {role === 'SHOP_OWNER' || role === 'ADMIN' ? (
          <li>
            <Link href="/shop">Dashboard</Link>
          </li>
        ) : null}
        {role === 'COURIER' || role === 'ADMIN' ? (
          <li>
            <Link href="/courier">Deliveries</Link>
          </li>
        ) : null}
        {role === 'CUSTOMER' || role === 'ADMIN' ? (
          <li>
            <Link href="/orders">My orders</Link>
          </li>
        ) : null}
        {!role || role === 'CUSTOMER' || role === 'ADMIN' ? (
          <li>
            <Link href="/cart">Cart{count > 0 ? ` (${count})` : ''}</Link>
          </li>
        ) : null}
        <li>
          {session ? (
            <button type="button" className="link" onClick={() => void signOut()}>
              Sign out
            </button>
          ) : (
            <Link href="/signin">Sign in</Link>
          )}
        </li>
      </ul>
    </nav>
  );
}

export function App() {
  const path = usePath();
  const session = useSession();
  const main = useRef<HTMLElement>(null);
  let params: Record<string, string> | null = null;
  const route = routes.find((candidate) => (params = match(candidate.pattern, path)) !== null);

  useEffect(() => {
    document.title = `${route?.title ?? 'Not found'} · Commerce`;
    // A new page: move focus to it, as a full page load would, so screen readers start at its top.
    main.current?.focus({ preventScroll: true });
  }, [path, route]);

  let content: ReactNode;
  if (!route) content = <p>There is no page here. <Link href="/">See the shops</Link>.</p>;
  else if (route.roles && !session) content = <Redirect to={`/signin?next=${encodeURIComponent(path)}`} />;
  else if (route.roles && session && !route.roles.includes(session.user.role)) content = <p>This page is not for your account. <Link href="/">See the shops</Link>.</p>;
  else content = route.render(params ?? {});

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site">
        <Link href="/" className="brand">
          Commerce
        </Link>
        <Navigation />
      </header>
      <OfflineBanner />
      <main id="main" ref={main} tabIndex={-1}>
        {content}
      </main>
      <footer className="site">
        <p>A reference client of the commerce supergraph.</p>
      </footer>
    </>
  );
}
