import type { Role } from '@commerce/service-kit';

/** A user as the repositories return it: a plain object, never a TypeORM instance. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface AddressRow {
  id: string;
  userId: string;
  label: string;
  line: string;
}
