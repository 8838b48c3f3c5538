import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. With no proxy in front it is the peer's;
 * behind `trustedProxyHops` proxies that each append the address they
 * received from to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`),
 * it is the entry the outermost of them wrote. Entries further left were
 * written by the client itself and are not believed.
 */
export function clientAddressOf(trustedProxyHops: number): (req: IncomingMessage) => string | null {
  return (req) => {
    const peer = req.socket.remoteAddress ?? null;
    if (trustedProxyHops === 0 || peer === null) return peer;
    const header = req.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const chain = [...forwarded, peer];
    return chain[Math.max(0, chain.length - 1 - trustedProxyHops)]!;
  };
}
