import { In, type DataSource, type QueryFailedError } from 'typeorm';
import type { Role } from '@commerce/service-kit';
import { AddressEntity, UserEntity } from './entities';
import type { AddressRow, UserRow } from './rows';

export class EmailTakenError extends Error {}

const uniqueViolation = '23505';

export function userRepository(db: DataSource) {
  const users = db.getRepository(UserEntity);
  const addresses = db.getRepository(AddressEntity);
  return {
    async findByIds(ids: readonly string[]): Promise<UserRow[]> {
      return users.findBy({ id: In([...ids]) });
    },

    async findByEmail(email: string): Promise<UserRow | null> {
      return users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
    },

    /** Throws EmailTakenError when the address is in use (decided by the unique index, so races are safe). */
    async create(user: { email: string; name: string; role: Role; passwordHash: string }): Promise<UserRow> {
      try {
        return await users.save(users.create(user));
      } catch (error) {
        if ((error as QueryFailedError & { code?: string }).code === uniqueViolation) throw new EmailTakenError();
        throw error;
      }
    },

    async addressesOf(userIds: readonly string[]): Promise<AddressRow[]> {
      return addresses.find({ where: { userId: In([...userIds]) }, order: { label: 'ASC' } });
    },

    async addAddress(address: Omit<AddressRow, 'id'>): Promise<AddressRow> {
      return addresses.save(addresses.create(address));
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
