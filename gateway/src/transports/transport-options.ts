import type { IncomingMessage } from 'node:http';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Admission } from '../operations/admission';
import type { ExecuteOperation } from '../operations/apollo-execution';
import type { SubscriptionService } from '../subscriptions/service';
import type { RequestCallers } from '../tokens/callers';
import type { LiveSessions } from '../tokens/live-sessions';

/** What every transport adapter shares. */
export interface TransportOptions {
  service: SubscriptionService;
  /** Queries and mutations, through the same Apollo pipeline as plain HTTP. */
  execute: ExecuteOperation;
  /** Which client sends the operation and whether it may: persisted ids become documents here. */
  admission: Admission;
  /** Who calls: the bearer token verified (once per HTTP request). */
  callers: RequestCallers;
  /** Masks unexpected errors as HTTP responses do. */
  formatError: (error: GraphQLError) => GraphQLFormattedError;
  production: boolean;
  /** Where a request (or a WebSocket's upgrade) came from. */
  clientAddress: (req: IncomingMessage) => string | null;
  /** What is open under each session, ended when it is signed out of. */
  sessions: LiveSessions;
}
