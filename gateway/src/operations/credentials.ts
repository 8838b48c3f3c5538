import type { IncomingHttpHeaders } from 'node:http';
import type { ClientCredentials } from './clients';

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value) || undefined;

/** Partners send `x-api-key`; first-party apps name themselves as Apollo Client does. */
export function credentialsFromHeaders(headers: IncomingHttpHeaders): ClientCredentials {
  return { apiKey: single(headers['x-api-key']), clientName: single(headers['apollographql-client-name']) };
}

/** connection_init's value under any of `names`, whatever their case. */
function paramOf(params: Record<string, unknown> | undefined, names: string[]): string | undefined {
  const key = Object.keys(params ?? {}).find((name) => names.includes(name.toLowerCase()));
  const value = key === undefined ? undefined : params![key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The bearer credentials in connection_init: `authorization` in any case (GraphiQL sends its headers tab as typed, `Authorization`). */
export function authorizationFromConnection(params: Record<string, unknown> | undefined): string | undefined {
  return paramOf(params, ['authorization']);
}

/**
 * Browsers cannot set headers on a WebSocket, so connection_init may carry
 * the same two values (`apiKey`, `clientName`, or named as the headers are,
 * as GraphiQL sends them); otherwise the upgrade request's headers count.
 */
export function credentialsFromConnection(params: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): ClientCredentials {
  const fromHeaders = credentialsFromHeaders(headers);
  return {
    apiKey: paramOf(params, ['apikey', 'x-api-key']) ?? fromHeaders.apiKey,
    clientName: paramOf(params, ['clientname', 'apollographql-client-name']) ?? fromHeaders.clientName,
  };
}
