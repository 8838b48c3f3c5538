import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from './errors';
import { identityHeaders, type Identity } from './identity';

/**
 * `t=<unix ms>,v1=<hex>`: an HMAC-SHA256, keyed by GATEWAY_SUBGRAPH_SECRET,
 * over `<t>.<x-user-id>.<x-user-role>`. Only the gateway knows the secret, so
 * a caller who reaches a subgraph directly cannot claim to be someone.
 */
export const identitySignatureHeader = 'x-identity-signature';

/**
 * How far a signature's time may be from the subgraph's clock, either way:
 * room for drift between hosts, and how long a captured request can be replayed.
 */
export const identitySignatureMaxSkewMs = 60_000;

const signatureFormat = /^t=(\d{1,16}),v1=([0-9a-f]{64})$/;

// The role is last and the time first, and neither contains a dot, so a user id with dots stays unambiguous.
function mac(secret: string, time: string, userId: string, role: string): Buffer {
  return createHmac('sha256', secret).update(`${time}.${userId}.${role}`).digest();
}

/** The identity headers the gateway sends for a verified caller, signed at `now`. */
export function signedIdentityHeaders(identity: Identity, secret: string, now = Date.now()): Record<string, string> {
  const time = String(now);
  return {
    [identityHeaders.userId]: identity.userId,
    [identityHeaders.role]: identity.role,
    [identitySignatureHeader]: `t=${time},v1=${mac(secret, time, identity.userId, identity.role).toString('hex')}`,
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when the request names no caller (anonymous needs no signature), or
 * when its identity headers carry the gateway's signature from within the
 * allowed skew. The header values are checked exactly as sent, so any change
 * to either one breaks the signature.
 */
export function hasTrustedIdentity(headers: IncomingHttpHeaders, secret: string, now = Date.now()): boolean {
  const userId = first(headers[identityHeaders.userId]);
  const role = first(headers[identityHeaders.role]);
  if (userId === undefined && role === undefined) return true;
  const signature = signatureFormat.exec(first(headers[identitySignatureHeader]) ?? '');
  if (!signature) return false;
  const time = signature[1]!;
  const hex = signature[2]!;
  if (Math.abs(now - Number(time)) > identitySignatureMaxSkewMs) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), mac(secret, time, userId ?? '', role ?? ''));
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Answers 401 UNTRUSTED_CALLER, before anything reads the request, when it
 * carries identity headers the gateway did not sign; everything else goes on
 * to `handler`.
 */
export function refuseUntrustedCallers(handler: Handler, secret: string): Handler {
  return async (req, res) => {
    if (hasTrustedIdentity(req.headers, secret)) return handler(req, res);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [{ message: 'Identity headers must come signed from the gateway', extensions: { code: ErrorCode.UntrustedCaller } }],
      }),
    );
  };
}
