import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLHttpRequest } from '../operations/admission';

/**
 * One protocol behind the HTTP front door (plain GraphQL over HTTP, SSE,
 * multipart). It is handed the request already admitted: the client
 * identified and counted, the body read within the client's limit, and for
 * GET and POST the operation resolved (a persisted id turned into its
 * document) and held to the client's limits. It only speaks its protocol.
 */
export type HttpTransport = (req: IncomingMessage, res: ServerResponse, request: GraphQLHttpRequest) => Promise<void>;
