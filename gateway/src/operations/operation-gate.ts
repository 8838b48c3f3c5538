import { GraphQLError } from 'graphql';
import { isRecord, type Logger } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import type { Client } from './clients';
import { sha256 } from './manifest';
import type { PersistedQueryStore } from './persisted-query-store';

/** The operation fields of a request, however it travelled (POST body, GET query string, subscribe message). */
export interface OperationParams {
  query?: unknown;
  extensions?: unknown;
  documentId?: unknown;
  operationName?: unknown;
}

export type Admission = { query: string | undefined } | { refused: GraphQLError };

const refuse = (code: RefusalCode, message?: string): Admission => ({ refused: refusal(code, message) });

/** The APQ hash of `extensions.persistedQuery`, or null when there is none. */
function persistedQueryHash(extensions: unknown): string | null | 'unsupported' {
  if (!isRecord(extensions) || !isRecord(extensions.persistedQuery)) return null;
  const { version, sha256Hash } = extensions.persistedQuery;
  return version === 1 && typeof sha256Hash === 'string' ? sha256Hash.toLowerCase() : 'unsupported';
}

/**
 * Turns what a client sent (a document, an APQ hash, a persisted document
 * id, or a document with its hash) into the document to run, under the
 * client's mode. Ids are looked up in the client's own list first, then
 * (where the mode lets a client run anything) among APQ registrations; a
 * client never reaches another client's list.
 *
 * APQ is a cache the client can always refill: while its store cannot be
 * reached, a look-up answers PERSISTED_QUERY_NOT_FOUND (the client resends
 * the whole document, which runs) and a registration is skipped, so an
 * outage of the store costs bytes, never a failed request.
 */
export class OperationGate {
  private storeFailing = false;

  constructor(
    private readonly apq: PersistedQueryStore,
    private readonly logger: Logger,
  ) {}

  async admit(client: Client, params: OperationParams): Promise<Admission> {
    const hash = persistedQueryHash(params.extensions);
    if (hash === 'unsupported') return refuse(RefusalCode.PersistedQueryNotSupported);
    const documentId = typeof params.documentId === 'string' ? params.documentId.replace(/^sha256:/, '').toLowerCase() : null;
    const query = typeof params.query === 'string' && params.query !== '' ? params.query : null;
    const openMode = client.mode === 'ALLOW' || client.mode === 'LOG';
    const operationName = typeof params.operationName === 'string' ? params.operationName : undefined;

    if (query === null) {
      const id = documentId ?? hash;
      // Nothing to look up: Apollo answers a request without a query with its own error.
      if (id === null) return { query: undefined };
      const listed = client.manifest.document(id);
      if (listed !== null) return { query: listed };
      const registered = openMode && hash !== null ? await this.lookUp(hash) : null;
      if (registered !== null) {
        this.logUnlisted(client, hash!, operationName);
        return { query: registered };
      }
      if (documentId === null && openMode) return refuse(RefusalCode.PersistedQueryNotFound);
      return refuse(RefusalCode.PersistedDocumentNotFound, `No operation with id ${id} is listed for client ${client.name}`);
    }

    if (client.mode === 'REQUIRE_ID') {
      return refuse(RefusalCode.PersistedDocumentRequired, `Client ${client.name} may only send the ids of its listed operations, not documents`);
    }
    const contentHash = sha256(query);
    if ((hash !== null && hash !== contentHash) || (documentId !== null && documentId !== contentHash)) {
      return refuse(RefusalCode.PersistedQueryHashMismatch);
    }
    const listed = client.manifest.lists(query);
    if (!listed && !openMode) return refuse(RefusalCode.OperationNotInSafelist, `This operation is not in the list of client ${client.name}`);
    if (!listed) this.logUnlisted(client, contentHash, operationName);
    if (hash !== null && openMode) await this.register(hash, query);
    return { query };
  }

  private async lookUp(hash: string): Promise<string | null> {
    try {
      const found = await this.apq.get(hash);
      this.storeAnswered();
      return found;
    } catch (error) {
      this.storeFailed(error);
      return null;
    }
  }

  private async register(hash: string, query: string): Promise<void> {
    try {
      await this.apq.set(hash, query);
      this.storeAnswered();
    } catch (error) {
      this.storeFailed(error);
    }
  }

  /** Logged once per outage, not per request. */
  private storeFailed(error: unknown): void {
    if (!this.storeFailing) this.logger.error({ err: error }, 'APQ store unreachable; hashes miss and registrations are skipped until it is back');
    this.storeFailing = true;
  }

  private storeAnswered(): void {
    if (this.storeFailing) this.logger.info('APQ store reachable again');
    this.storeFailing = false;
  }

  private logUnlisted(client: Client, hash: string, operationName: string | undefined): void {
    if (client.mode === 'LOG') this.logger.warn({ client: client.name, hash, operationName }, 'operation not in the client list');
  }
}
