import jwt from 'jsonwebtoken';
import { verifiedClaims } from '@commerce/service-kit';
import { RemoteKeySet, type RemoteKeySetOptions } from './remote-key-set';
import type { AccessTokenVerifier } from './verifier';

/**
 * Tokens signed with the issuer's private key (RS256 or ES256), checked
 * against its published keys. The key named by the token's `kid` decides the
 * one algorithm accepted, so `none`, an HS256 token "signed" with the public
 * key, or an algorithm switched in the header are all refused.
 */
export function jwksVerifier(options: RemoteKeySetOptions & { issuer: string; audience: string }): AccessTokenVerifier {
  const keys = new RemoteKeySet(options);
  return {
    async verify(token) {
      const header = jwt.decode(token, { complete: true })?.header;
      if (!header?.kid) return null;
      const key = await keys.key(header.kid);
      if (!key || header.alg !== key.algorithm) return null;
      try {
        return verifiedClaims(jwt.verify(token, key.key, { algorithms: [key.algorithm], issuer: options.issuer, audience: options.audience }));
      } catch {
        return null;
      }
    },
  };
}
