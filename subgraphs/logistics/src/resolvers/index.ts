import type { OrderResolvers, Resolvers } from '../__generated__/resolvers-types';
import { Mutation } from './mutation';
import { Query } from './query';
import { Shipment } from './shipment';

const Order: OrderResolvers = {
  shipment: (order, _args, { loaders }) => loaders.shipmentByOrder.load(order.id),
};

export const resolvers: Resolvers = { Query, Mutation, Shipment, Order };
