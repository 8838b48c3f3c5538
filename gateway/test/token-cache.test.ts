import { signAccessToken } from '@commerce/service-kit/src/jwt';
import { identityFromAuthorization } from '../src/context';
import { VerifiedTokenCache } from '../src/token-cache';
import { jwt } from './helpers';

const ada = { userId: 'u1', role: 'CUSTOMER' as const };

describe('verified token cache', () => {
  it('answers a token that verified until the token expires', () => {
    const cache = new VerifiedTokenCache();
    const token = signAccessToken(ada, jwt, 60);
    expect(identityFromAuthorization(`Bearer ${token}`, jwt, cache)).toEqual(ada);
    expect(cache.get(token)).toEqual(ada);
    expect(cache.get(token, Date.now() + 61_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never remembers a token that failed, so it fails every time', () => {
    const cache = new VerifiedTokenCache();
    const forged = signAccessToken(ada, { ...jwt, secret: 'someone-elses-secret-of-length' });
    for (let i = 0; i < 2; i += 1) {
      expect(() => identityFromAuthorization(`Bearer ${forged}`, jwt, cache)).toThrow(/invalid or expired/);
    }
    expect(cache.size).toBe(0);
  });

  it('matches only the exact token: a tampered signature is verified afresh and refused', () => {
    const cache = new VerifiedTokenCache();
    const token = signAccessToken(ada, jwt);
    identityFromAuthorization(`Bearer ${token}`, jwt, cache);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => identityFromAuthorization(`Bearer ${tampered}`, jwt, cache)).toThrow(/invalid or expired/);
  });

  it('drops the least recently used token when full', () => {
    const cache = new VerifiedTokenCache(2);
    const tokens = ['u1', 'u2', 'u3'].map((userId) => signAccessToken({ userId, role: 'CUSTOMER' }, jwt));
    cache.set(tokens[0]!, { userId: 'u1', role: 'CUSTOMER' });
    cache.set(tokens[1]!, { userId: 'u2', role: 'CUSTOMER' });
    cache.get(tokens[0]!);
    cache.set(tokens[2]!, { userId: 'u3', role: 'CUSTOMER' });
    expect(cache.get(tokens[1]!)).toBeUndefined();
    expect(cache.get(tokens[0]!)?.userId).toBe('u1');
    expect(cache.get(tokens[2]!)?.userId).toBe('u3');
  });
});
