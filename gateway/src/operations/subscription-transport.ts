import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { refusal, RefusalCode } from '../errors/registry';

/**
 * A subscription sent as a plain request (JSON POST or GET) is the client's
 * choice of transport, not a fault of the gateway: refused with
 * SUBSCRIPTION_TRANSPORT_REQUIRED, whose message names the transports that
 * stream. Unchecked, ApolloGateway's executor throws on it and the client
 * gets a 500. Streaming transports never hand Apollo a subscription.
 */
export const subscriptionTransport: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') throw refusal(RefusalCode.SubscriptionTransportRequired);
      },
    };
  },
};
