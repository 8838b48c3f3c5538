/**
 * The signed-in session, kept in localStorage so it survives a reload and is
 * shared by the app's tabs. Access tokens are short-lived: each is traded for
 * a new pair shortly before it expires. A refresh token works once (using one
 * twice ends the whole session), so only one tab refreshes at a time, under a
 * Web Lock, and a tab that finds the stored session already renewed adopts it.
 */
import { RefreshSessionDocument, SignOutDocument, type SessionFieldsFragment } from '../__generated__/graphql';
import { OperationError, postOperation } from '../apollo/post-operation';

export type Session = SessionFieldsFragment;

const storageKey = 'commerce.session';
/** Refresh this long before expiry, or at a fifth of a short token's life. */
const refreshLeadMs = 60_000;

let current: Session | null = read();
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<Session | null> | null = null;
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function set(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(storageKey, JSON.stringify(session));
  else localStorage.removeItem(storageKey);
  schedule();
  for (const listener of listeners) listener();
}

const msLeft = (session: Session) => Date.parse(session.expiresAt) - Date.now();
const leadFor = (session: Session) => Math.min(refreshLeadMs, Math.max(1_000, msLeft(session) / 5));

function schedule(): void {
  clearTimeout(timer);
  if (!current) return;
  const session = current;
  timer = setTimeout(() => void refresh(), Math.max(0, msLeft(session) - leadFor(session)));
}

async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  return navigator.locks ? navigator.locks.request('commerce.session.refresh', work) : work();
}

/** A new access token now (at most one refresh at a time); null when the session has ended. */
export function refresh(): Promise<Session | null> {
  refreshing ??= withRefreshLock(async () => {
    const stored = read();
    // Another tab renewed it meanwhile: its refresh token is the live one.
    if (stored && current && stored.refreshToken !== current.refreshToken && msLeft(stored) > leadFor(stored)) {
      set(stored);
      return stored;
    }
    const session = stored ?? current;
    if (!session) return null;
    try {
      const { refreshSession } = await postOperation(RefreshSessionDocument, { refreshToken: session.refreshToken });
      set(refreshSession);
      return refreshSession;
    } catch (error) {
      if (error instanceof OperationError) {
        set(null); // refused: the session is over, sign in again
        return null;
      }
      // Offline or the gateway is away: try again shortly, the token may still be valid.
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 5_000);
      return msLeft(session) > 0 ? session : null;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** An access token good for a few more seconds, refreshing first if it is about to expire. */
export async function freshToken(): Promise<string | null> {
  if (!current) return null;
  if (msLeft(current) < 5_000) return (await refresh())?.token ?? null;
  return current.token;
}

export const sessionStore = {
  get: (): Session | null => current,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signedIn(session: Session): void {
    set(session);
  },
  /** Revokes the session at the gateway (its access tokens stop working everywhere), then forgets it. */
  async signOut(): Promise<void> {
    const session = current;
    set(null);
    if (session) await postOperation(SignOutDocument, { refreshToken: session.refreshToken }).catch(() => undefined);
  },
};

// Another tab signed in, out, or refreshed.
window.addEventListener('storage', (event) => {
  if (event.key !== storageKey) return;
  current = read();
  schedule();
  for (const listener of listeners) listener();
});

schedule();
