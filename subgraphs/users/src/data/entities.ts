import { EntitySchema } from 'typeorm';
import type { AddressRow, UserRow } from './rows';

// EntitySchema rather than decorators: rows stay plain interfaces, and no
// decorator metadata is needed at run time.
export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    email: { type: 'text' },
    name: { type: 'text' },
    role: { type: 'text' },
    passwordHash: { type: 'text', name: 'password_hash' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});

export const AddressEntity = new EntitySchema<AddressRow>({
  name: 'Address',
  tableName: 'addresses',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    userId: { type: 'uuid', name: 'user_id' },
    label: { type: 'text' },
    line: { type: 'text' },
  },
});

export const entities = [UserEntity, AddressEntity];
