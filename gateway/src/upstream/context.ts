import type { IncomingMessage } from 'node:http';
import type { Identity } from '@commerce/service-kit';
import type { RequestCallers } from '../tokens/callers';
import type { FetchReplay } from './fetch-replay';

/** What every gateway request carries to the data sources: the verified caller, if any. */
export interface GatewayContext {
  identity: Identity | null;
  /** Where the request came from (see http/client-address.ts), for the sign-in throttle; null when unknown. */
  clientAddress?: string | null;
  /** Set while an operation runs in stages (@defer): the subgraph answers its earlier stages got. */
  replay?: FetchReplay;
}

/** Apollo's context for an HTTP request: the caller its token names (a bad token rejects: 401 UNAUTHENTICATED), and its address. */
export function createContext(callers: RequestCallers, clientAddress: (req: IncomingMessage) => string | null) {
  return async (req: IncomingMessage): Promise<GatewayContext> => ({
    identity: (await callers.of(req))?.identity ?? null,
    clientAddress: clientAddress(req),
  });
}
