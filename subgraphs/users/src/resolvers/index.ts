import { forbidden, requireIdentity } from '@commerce/service-kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { validAddress } from '../domain/addresses';

export const resolvers: Resolvers = {
  Query: {
    me: (_root, _args, { identity, loaders }) => (identity ? loaders.user.load(identity.userId) : null),
  },
  Mutation: {
    signUp: (_root, { input }, { accounts }) => accounts.signUp(input),
    signIn: (_root, { email, password }, { accounts }) => accounts.signIn(email, password),
    refreshSession: (_root, { refreshToken }, { sessions }) => sessions.refresh(refreshToken),
    signOut: (_root, { refreshToken }, { sessions }) => sessions.signOut(refreshToken),
    addAddress: async (_root, { input }, { identity, users }) => {
      const caller = requireIdentity(identity);
      return users.addAddress({ userId: caller.userId, ...validAddress(input) });
    },
  },
  User: {
    __resolveReference: (reference, { loaders }) => loaders.user.load(reference.id),
    addresses: (user, _args, { identity, loaders }) => {
      const caller = requireIdentity(identity);
      if (caller.userId !== user.id && caller.role !== 'ADMIN') throw forbidden('Addresses are private');
      return loaders.addresses.load(user.id);
    },
  },
};
