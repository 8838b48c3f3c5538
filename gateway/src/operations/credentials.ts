import type { IncomingHttpHeaders } from 'node:http';
import type { ClientCredentials } from './clients';

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value) || undefined;

/** Partners send `x-api-key`; first-party apps name themselves as Apollo Client does. */
export function credentialsFromHeaders(headers: IncomingHttpHeaders): ClientCredentials {
  return { apiKey: single(headers['x-api-key']), clientName: single(headers['apollographql-client-name']) };
}

/**
 * Browsers cannot set headers on a WebSocket, so connection_init may carry
 * the same two values (`apiKey`, `clientName`); otherwise the upgrade
 * request's headers count.
 */
export function credentialsFromConnection(params: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): ClientCredentials {
  const fromHeaders = credentialsFromHeaders(headers);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { apiKey: text(params?.apiKey) ?? fromHeaders.apiKey, clientName: text(params?.clientName) ?? fromHeaders.clientName };
}
