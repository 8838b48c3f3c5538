import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { SignInDocument, SignUpDocument, type Role } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Link, navigate } from '../router';
import { sessionStore, type Session } from '../session/session-store';

/** Where each kind of account starts. */
export function homeFor(role: Role): string {
  if (role === 'SHOP_OWNER' || role === 'ADMIN') return '/shop';
  if (role === 'COURIER') return '/courier';
  return '/';
}

function afterSignIn(session: Session) {
  sessionStore.signedIn(session);
  const next = new URLSearchParams(location.search).get('next');
  navigate(next && next.startsWith('/') ? next : homeFor(session.user.role), { replace: true });
}

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, { loading, error }] = useMutation(SignInDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await signIn({ variables: { email, password } }).catch(() => ({ data: undefined }));
    if (data) afterSignIn(data.signIn);
  };
  return (
    <section className="narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          Sign in
        </button>
      </form>
      <p>
        New here? <Link href="/signup">Create an account</Link>
      </p>
      <details className="hint">
        <summary>Demo accounts</summary>
        <p>Every demo account's password is <code>password123</code>.</p>
        <ul>
          <li><code>customer@example.com</code>: orders from shops</li>
          <li><code>owner@example.com</code>: runs Corner Bakery and Green Grocer</li>
          <li><code>courier@example.com</code>: delivers</li>
        </ul>
      </details>
    </section>
  );
}

const roles: { value: Role; label: string }[] = [
  { value: 'CUSTOMER', label: 'Customer: I order from shops' },
  { value: 'SHOP_OWNER', label: 'Shop owner: I sell' },
  { value: 'COURIER', label: 'Courier: I deliver' },
];

export function SignUpPage() {
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'CUSTOMER' as Role });
  const [signUp, { loading, error }] = useMutation(SignUpDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await signUp({ variables: { input: form } }).catch(() => ({ data: undefined }));
    if (data) afterSignIn(data.signUp);
  };
  return (
    <section className="narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create an account</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Name
          <input name="name" autoComplete="name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Email
          <input type="email" name="email" autoComplete="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <fieldset>
          <legend>I am a</legend>
          {roles.map((role) => (
            <label key={role.value} className="inline">
              <input type="radio" name="role" value={role.value} checked={form.role === role.value} onChange={() => setForm({ ...form, role: role.value })} />
              {role.label}
            </label>
          ))}
        </fieldset>
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          Create account
        </button>
      </form>
      <p>
        Have an account? <Link href="/signin">Sign in</Link>
      </p>
    </section>
  );
}
