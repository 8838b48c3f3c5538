import { CloseCode } from 'graphql-ws';

/**
 * Every code the gateway closes a WebSocket with: graphql-ws's own codes
 * where the protocol defines one (RFC 6455 §7.4.2 leaves 4000–4999 to
 * applications), the standard ones otherwise. A client reconnects on
 * GoingAway and TryAgainLater, and must sign in again on Forbidden.
 */
export enum WebSocketCloseCode {
  /** The server is shutting down or restarting: reconnect, to another instance if need be. */
  GoingAway = 1001,
  /** A message larger than the socket accepts. */
  MessageTooBig = 1009,
  /** Over a rate limit: come back later. */
  TryAgainLater = 1013,
  BadRequest = CloseCode.BadRequest,
  Unauthorized = CloseCode.Unauthorized,
  /** A bad or expired access token, or an API key that is not (or no longer) valid. */
  Forbidden = CloseCode.Forbidden,
  InternalServerError = CloseCode.InternalServerError,
}
