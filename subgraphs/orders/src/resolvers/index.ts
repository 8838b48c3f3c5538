import type { Resolvers } from '../__generated__/resolvers-types';
import { Mutation } from './mutation';
import { Order, OrderItem, OrderStatusChange } from './order';
import { Query } from './query';
import { Subscription } from './subscription';
import { User } from './user';

export const resolvers: Resolvers = { Query, Mutation, Subscription, Order, OrderItem, OrderStatusChange, User };
