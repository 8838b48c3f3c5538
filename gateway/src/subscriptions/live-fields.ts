import { GraphQLError, Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { liveChannels } from '@commerce/pubsub';
import { refusal, RefusalCode } from '../errors/registry';

/** What the gateway needs to serve one subscription field from the live pub/sub. */
export interface LiveField {
  /** The root field's key in the response (its alias, if any). */
  responseKey: string;
  /** Channel names without the namespace, which the pub/sub adds. */
  channels: string[];
  /** The message that resolves the current state on subscribing; null when there is none to send. */
  initialEvent: object | null;
}

type ChannelRule = (args: Record<string, unknown>) => Omit<LiveField, 'responseKey'>;

const badInput = (message: string) => refusal(RefusalCode.BadUserInput, message);

/**
 * The gateway's only knowledge per subscription field, like Cosmo's channel
 * directives: which channels feed it, and how to ask for the current state.
 * The owning subgraphs publish on exactly these names.
 */
const rules: Record<string, ChannelRule> = {
  orderUpdated: (args) => {
    const orderId = String(args.orderId);
    return { channels: [liveChannels.orderUpdated(orderId)], initialEvent: { orderId } };
  },
  inventoryChanged: (args) => {
    const productIds = Array.isArray(args.productIds) ? args.productIds.map(String) : null;
    if (productIds && productIds.length > 0) {
      return { channels: [...new Set(productIds)].map(liveChannels.productInventory), initialEvent: null };
    }
    if (typeof args.shopId === 'string') return { channels: [liveChannels.shopInventory(args.shopId)], initialEvent: null };
    throw badInput('inventoryChanged needs productIds or a shopId');
  },
  // A new order and a stock alert are moments, not state: there is nothing current to send first.
  orderPlaced: (args) => ({ channels: [liveChannels.shopOrders(String(args.shopId))], initialEvent: null }),
  lowStock: (args) => ({ channels: [liveChannels.shopLowStock(String(args.shopId))], initialEvent: null }),
};

/** The channels of a validated subscription operation (which has exactly one root field). */
export function liveFieldOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): LiveField {
  const field = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  const definition = field ? schema.getSubscriptionType()?.getFields()[field.name.value] : undefined;
  const rule = field ? rules[field.name.value] : undefined;
  if (!field || !definition || !rule) {
    throw refusal(RefusalCode.BadRequest, 'This subscription field is not served live');
  }
  return { responseKey: field.alias?.value ?? field.name.value, ...rule(getArgumentValues(definition, field, variables)) };
}
