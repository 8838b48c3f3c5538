import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { VerifiedToken } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import type { AccessTokenVerifier } from './verifier';

const bearer = /^Bearer\s+(\S+)\s*$/i;

const invalidToken = (): GraphQLError => refusal(RefusalCode.Unauthenticated);

/**
 * No Authorization header means an anonymous caller; a header that does not
 * carry a valid token is refused outright (rejects UNAUTHENTICATED) rather
 * than downgraded to anonymous, so a client with an expired session learns
 * it at once.
 */
export async function tokenFromAuthorization(header: string | undefined, tokens: AccessTokenVerifier): Promise<VerifiedToken | null> {
  if (header === undefined || header === '') return null;
  const token = bearer.exec(header)?.[1];
  if (!token) throw invalidToken();
  const verified = await tokens.verify(token);
  if (!verified) throw invalidToken();
  return verified;
}

/**
 * The caller of an HTTP request, verified once however many steps ask
 * (rate limits, then the GraphQL context): a check against the revoked
 * sessions is a Redis round trip.
 */
export class RequestCallers {
  private readonly verified = new WeakMap<IncomingMessage, Promise<VerifiedToken | null>>();

  constructor(readonly tokens: AccessTokenVerifier) {}

  of(req: IncomingMessage): Promise<VerifiedToken | null> {
    let caller = this.verified.get(req);
    if (!caller) {
      caller = tokenFromAuthorization(req.headers.authorization, this.tokens);
      // Read (and its refusal handled) by whichever step asks; unobserved it is not an unhandled rejection.
      caller.catch(() => undefined);
      this.verified.set(req, caller);
    }
    return caller;
  }

  /** The signed-in user a request is counted for; a bad token counts as none here and is refused (401) after. */
  async userIdOf(req: IncomingMessage): Promise<string | null> {
    return (await this.of(req).catch(() => null))?.identity.userId ?? null;
  }
}
