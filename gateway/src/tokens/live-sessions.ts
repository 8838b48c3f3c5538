import type { GraphQLError } from 'graphql';
import type { Logger, RevokedSessions } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';

/** The refusal a signed-out session's open streams end with, and its later operations get. */
export const signedOut = (): GraphQLError => refusal(RefusalCode.Unauthenticated, 'The session was signed out; sign in again');

/**
 * What is open on this instance under each session (subscriptions, WebSocket
 * connections) and how each is ended, so that signing out ends them here
 * too and not only the requests that come after.
 */
export class LiveSessions {
  private readonly open = new Map<string, Set<() => void>>();

  /** Remembers how to end something open under `sessionId`; returns what forgets it (call it when it ends by itself). */
  track(sessionId: string, end: () => void): () => void {
    let ends = this.open.get(sessionId);
    if (!ends) this.open.set(sessionId, (ends = new Set()));
    ends.add(end);
    return () => {
      ends.delete(end);
      if (ends.size === 0 && this.open.get(sessionId) === ends) this.open.delete(sessionId);
    };
  }

  /** Ends everything open under `sessionId`. */
  end(sessionId: string): void {
    const ends = this.open.get(sessionId);
    if (!ends) return;
    this.open.delete(sessionId);
    for (const end of ends) end();
  }

  /** The sessions something is open under. */
  sessionIds(): string[] {
    return [...this.open.keys()];
  }
}

/**
 * A sweep against the revoked list, besides the events: for what a missed
 * event or a stream set up while its session was being revoked would leave
 * open. One read per sweep, whatever the number of sessions.
 */
const recheckEveryMs = 60_000;

/**
 * Ends what is open under a session as soon as it is revoked, on whichever
 * instance it was signed out through: each revocation is announced to every
 * gateway instance (Redis pub/sub). When announcements may have been missed
 * (the connection carrying them came back), and every `recheckMs` anyway,
 * the sessions open here are checked against the list itself. Returns what
 * stops watching.
 */
export function endRevokedSessions(revoked: RevokedSessions, sessions: LiveSessions, logger: Logger, recheckMs = recheckEveryMs): () => void {
  const recheck = async () => {
    const sessionIds = sessions.sessionIds();
    if (sessionIds.length === 0) return;
    try {
      for (const sessionId of await revoked.revokedAmong(sessionIds)) sessions.end(sessionId);
    } catch (error) {
      logger.warn({ err: error }, 'revoked sessions unreadable; open subscriptions checked again later');
    }
  };
  const unwatch = revoked.watch({
    revoked: (sessionId) => sessions.end(sessionId),
    missed: () => void recheck(),
  });
  const timer = setInterval(() => void recheck(), recheckMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    unwatch();
  };
}
