import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, parse, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { VerifiedToken } from '@commerce/service-kit';
import { WebSocketCloseCode } from '../errors/close-codes';
import { bodyBytesCeiling } from '../limits/settings';
import { isIncremental, type OperationResults } from '../operations/apollo-execution';
import type { ClientCredentials } from '../operations/clients';
import { operationTypeOf } from '../operations/operation-type';
import { authorizationFromConnection, credentialsFromConnection } from '../operations/credentials';
import { Deadlines } from '../subscriptions/deadlines';
import { LiveStream } from '../subscriptions/stream';
import { tokenFromAuthorization } from '../tokens/callers';
import { signedOut } from '../tokens/live-sessions';
import { asRefusal, closeSocket } from './refusals';
import type { TransportOptions } from './transport-options';
import { NextFrames } from './ws-frames';
import { keepSocketsAlive } from './ws-keep-alive';

/**
 * A query's or mutation's results, already run and formatted, on their way
 * to graphql-ws's `execute` (below): one result, or a deferred query's
 * successive ones, each sent as a `next` message before the `complete`.
 */
class SettledResult {
  constructor(readonly results: OperationResults) {}
}

/** An error Apollo has already formatted (masked), sent as it is in an `error` message. */
class FormattedError extends GraphQLError {
  constructor(readonly formatted: GraphQLFormattedError) {
    super(formatted.message, { extensions: formatted.extensions });
  }
}

/** What graphql-ws is handed for a result that has no document of its own to show: it only looks for a query to `execute`. */
const settledDocument = parse('query Settled { __typename }');

/**
 * Per connection: the caller's token, verified at connection_init, the
 * client's credentials and address, the TCP socket under ws, and whether
 * the token's session has been signed out of since.
 */
interface ConnectionExtra extends Record<PropertyKey, unknown> {
  token: VerifiedToken | null;
  credentials: ClientCredentials;
  address: string | null;
  raw: Duplex;
  signedOut: boolean;
}

export interface WebSocketTransport {
  /** Closes every socket with 1001 Going Away (WebSocketCloseCode.GoingAway) (so clients reconnect elsewhere) and stops accepting new ones. */
  dispose(): Promise<void>;
}

/**
 * graphql-ws (the graphql-transport-ws protocol) on the gateway's own HTTP
 * server and path, for every operation type: a query or mutation is
 * admitted as a subscription is, runs through the same Apollo pipeline as
 * over HTTP and answers `next` then `complete`. The token travels in
 * connection_init as `authorization` ("Bearer …", in any case) and is
 * verified exactly as on HTTP; a bad one closes the
 * socket with 4403 Forbidden, and so does its expiry. A subscription is
 * authorized and its current state read before it is accepted, so a refusal
 * is a graphql-ws `error` message with its code rather than a closed stream.
 * Signing out ends each subscription of the session with a last `next`
 * carrying UNAUTHENTICATED, then `complete`, and answers every later
 * operation on the socket with an UNAUTHENTICATED `error` message. The
 * socket itself is left open: graphql-ws clients reconnect on 4403 Forbidden
 * and subscribe again with the same token, whereas an operation that
 * completes is over for them (a lazy client then closes the idle socket).
 * Client credentials (API key, app name) come from connection_init or the
 * upgrade request, and a subscribe message may carry a persisted id.
 */
export function attachWebSocketTransport(
  server: Server,
  path: string,
  options: TransportOptions,
  /** An upgrade whose Origin header this refuses is answered 403 before any WebSocket exists. */
  originAllowed: (origin: string | undefined) => boolean = () => true,
): WebSocketTransport {
  const { service, execute, callers, formatError, admission, sessions, clientAddress } = options;
  // No compression: a deflated frame would be one per socket, and results are written as pre-built frames (below).
  // A message past the largest body any client may send closes the socket with 1009 (WebSocketCloseCode.MessageTooBig).
  const wsServer = new WebSocketServer({
    server,
    path,
    perMessageDeflate: false,
    maxPayload: bodyBytesCeiling,
    verifyClient: (info: { req: IncomingMessage }, done: (allowed: boolean, code?: number, message?: string) => void) =>
      originAllowed(info.req.headers.origin) ? done(true) : done(false, 403, 'Origin not allowed'),
  });
  const frames = new NextFrames();
  // One timer pings every socket (graphql-ws's keep-alive, turned off below, holds timers per socket).
  const stopKeepAlive = keepSocketsAlive(wsServer);
  /** When each connection's token expires: one timer for all of them. */
  const expiries = new Deadlines();

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      isProd: options.production,
      onConnect: async (ctx) => {
        let token;
        try {
          token = await tokenFromAuthorization(authorizationFromConnection(ctx.connectionParams), callers.tokens);
        } catch (error) {
          // Closed with the registry's code for the refusal (UNAUTHENTICATED: 4403 Forbidden, as graphql-ws closes a refused connection).
          closeSocket(ctx.extra.socket, asRefusal(error));
          return false;
        }
        ctx.extra.token = token;
        ctx.extra.signedOut = false;
        ctx.extra.credentials = credentialsFromConnection(ctx.connectionParams, ctx.extra.request.headers);
        ctx.extra.address = clientAddress(ctx.extra.request);
        // The socket ws was upgraded on (the upgrade request's own).
        ctx.extra.raw = ctx.extra.request.socket;
        // The upgrade request and the connection_init payload (the token's text among it) are not needed
        // past this point, and kept they would cost every idle connection their size. Set rather than
        // deleted: a deleted property turns the object into a hash table, several hundred bytes more.
        Reflect.set(ctx.extra, 'request', undefined);
        Reflect.set(ctx, 'connectionParams', undefined);
        const socket = ctx.extra.socket;
        // A socket that closed while its token was being verified has no expiry to wait for.
        if (token && socket.readyState === WebSocket.OPEN) {
          const { expiresAt } = token;
          const expire = () => socket.close(WebSocketCloseCode.Forbidden, 'Token expired');
          expiries.add(expiresAt, expire);
          // `on`, not `once`: a socket closes once, and `once` would cost a wrapper and its state per socket.
          socket.on('close', () => expiries.cancel(expiresAt, expire));
          // Its subscriptions are ended by the subscription service; what is left to refuse is what comes next.
          if (token.sessionId) socket.on('close', sessions.track(token.sessionId, () => (ctx.extra.signedOut = true)));
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const { socket, raw } = ctx.extra;
        // graphql-ws calls onSubscribe only on an acknowledged connection, and onConnect set it.
        if (!raw) throw new Error('A subscription reached the transport before its connection was acknowledged');
        if (ctx.extra.signedOut) return [signedOut()];
        // Counted against the rate limits once per subscribe; the events that follow are not.
        const admitted = await admission.admit(ctx.extra.credentials ?? {}, payload, {
          caller: { userId: ctx.extra.token?.identity.userId ?? null },
          // Held to the client's body limit as the same operation POSTed would be.
          bytes: Buffer.byteLength(JSON.stringify(payload)),
        });
        if ('refused' in admitted) return [admitted.refused];
        const query = admitted.params.query ?? '';
        const operation = operationTypeOf(query, admitted.params.operationName);
        if (operation?.type !== 'subscription') {
          // Queries and mutations run as over HTTP; one that fails before it runs (no data) is an `error` message.
          const caller = { identity: ctx.extra.token?.identity ?? null, credentials: ctx.extra.credentials ?? {}, address: ctx.extra.address ?? null };
          const results = await execute({ ...admitted.params, query }, caller);
          if (!isIncremental(results) && !('data' in results) && results.errors?.length) return results.errors.map((error) => new FormattedError(error));
          const [document, operationName] = operation ? [operation.document, admitted.params.operationName] : [settledDocument, 'Settled'];
          return { schema: service.schema, document, operationName, contextValue: new SettledResult(results) };
        }
        // graphql-ws forgets the id when the client completes it; a closed socket wants nothing either.
        const stillWanted = () => id in ctx.subscriptions && socket.readyState === WebSocket.OPEN;
        const subscribed = await service.subscribe({ ...admitted.params, query }, ctx.extra.token ?? null, stillWanted);
        if ('errors' in subscribed) return subscribed.errors;
        const { stream } = subscribed;
        // Signed out while it was being set up: the announcement found nothing of it to end yet.
        if (ctx.extra.signedOut) {
          await stream.return();
          return [signedOut()];
        }
        // Each result is framed from the one JSON string its shared resolution made (already masked),
        // rather than graphql-ws building and stringifying a message per subscriber, and subscribers
        // with the same id get the same frame. It goes straight onto the TCP socket in one write:
        // ws's own sends reach that socket synchronously and in call order too (they queue only while
        // compressing or reading a Blob, which this server never does), so frames cannot interleave.
        // Once the socket is closing, ws has sent its close frame and nothing may follow it.
        stream.writeTo((payload) => {
          if (socket.readyState === WebSocket.OPEN) raw.write(frames.frame(id, payload));
        });
        // graphql-ws wants execution arguments; the stream rides in the context to `subscribe` below, which it calls next.
        return { schema: service.schema, document: subscribed.document, operationName: subscribed.operationName, contextValue: stream };
      },
      execute: (args) => {
        if (!(args.contextValue instanceof SettledResult)) throw new Error('An operation reached the transport without its result');
        // graphql-ws sends each result of an iterable as a `next` message, then `complete`, and ends it early on the client's `complete`.
        return args.contextValue.results as AsyncIterable<ExecutionResult> | ExecutionResult;
      },
      // Every result reaching graphql-ws is already formatted for clients: sent as it is.
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
      subscribe: (args) => {
        if (!(args.contextValue instanceof LiveStream)) throw new Error('A subscription reached the transport without its stream');
        // Writes its results itself and yields nothing; graphql-ws still completes and cancels it.
        return args.contextValue as unknown as AsyncIterable<ExecutionResult>;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => (error instanceof FormattedError ? error.formatted : formatError(error))),
    },
    wsServer,
    0,
  );

  return {
    async dispose() {
      stopKeepAlive();
      await disposable.dispose();
    },
  };
}
