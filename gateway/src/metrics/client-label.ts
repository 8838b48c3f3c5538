import { GraphQLError } from 'graphql';
import type { ClientCredentials, ClientRegistry } from '../operations/clients';

/**
 * The client a request is counted under: a configured client's name,
 * `anonymous` when it names none, else `unknown`. An app name is free text a
 * caller chooses, so only the configured list may become label values.
 */
export function clientLabel(registry: ClientRegistry, credentials: ClientCredentials): string {
  if (credentials.apiKey === undefined && credentials.clientName === undefined) return 'anonymous';
  const client = registry.identify(credentials);
  if (client instanceof GraphQLError) return 'unknown';
  // Only a configured partner's key resolves at all.
  if (credentials.apiKey !== undefined) return client.name;
  // The registry hands out its own entry for a configured name and a fresh stand-in for any other.
  return registry.identify({ clientName: client.name }) === client ? client.name : 'unknown';
}
