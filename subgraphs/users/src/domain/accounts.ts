import { badInput, domainError, ErrorCode, type Role } from '@commerce/service-kit';
import { EmailTakenError, type UserRepository } from '../data/user-repository';
import { hashPassword, verifyPassword } from './passwords';
import type { Session, Sessions } from './sessions';

export interface SignUpRequest {
  email: string;
  password: string;
  name: string;
  role?: Role | null;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// A hash of a throwaway password, compared against when the email is unknown so
// that sign-in takes as long for unknown emails as for wrong passwords.
const decoyHash = hashPassword('decoy-password-for-timing');

/** Account rules as plain functions, so they are tested without GraphQL. */
export function accounts(repository: UserRepository, sessions: Sessions) {
  return {
    async signUp(input: SignUpRequest): Promise<Session> {
      const email = input.email.trim();
      const name = input.name.trim();
      const role = input.role ?? 'CUSTOMER';
      if (!emailPattern.test(email) || email.length > 254) throw badInput('input.email', 'Enter a valid email address');
      if (input.password.length < 8 || input.password.length > 200)
        throw badInput('input.password', 'A password has 8 to 200 characters');
      if (name.length === 0 || name.length > 100) throw badInput('input.name', 'A name has 1 to 100 characters');
      if (role === 'ADMIN') throw badInput('input.role', 'ADMIN cannot be chosen at sign-up');
      try {
        const user = await repository.create({ email, name, role, passwordHash: await hashPassword(input.password) });
        return sessions.start(user);
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw domainError(ErrorCode.EmailTaken, 'An account with this email already exists', { field: 'input.email' });
        }
        throw error;
      }
    },

    async signIn(email: string, password: string): Promise<Session> {
      const user = await repository.findByEmail(email.trim());
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
      if (!user || !ok) throw domainError(ErrorCode.InvalidCredentials, 'Wrong email or password');
      return sessions.start(user);
    },
  };
}

export type Accounts = ReturnType<typeof accounts>;
