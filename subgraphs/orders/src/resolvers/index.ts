import type { Resolvers } from '../__generated__/resolvers-types';
import { Mutation } from './mutation';
import { Order, OrderItem, OrderStatusChange } from './order';
import { Query } from './query';
import { User } from './user';

export const resolvers: Resolvers = { Query, Mutation, Order, OrderItem, OrderStatusChange, User };
