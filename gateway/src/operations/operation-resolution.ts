import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { refusal, RefusalCode } from '../errors/registry';

/**
 * A valid document from which no operation can be picked (an operationName
 * it does not define, or several operations and no name) is the client's
 * mistake: 400 OPERATION_RESOLUTION_FAILURE, as Apollo Server answers it
 * without a gateway. With one, Apollo hands it to ApolloGateway's executor,
 * which throws, and the client would get a 500 INTERNAL_SERVER_ERROR.
 */
export const operationResolution: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (operation) return;
        // Validation already refused a document without operations, so a missing one is a name that picks none.
        const message = request.operationName
          ? `Unknown operation named "${request.operationName}".`
          : 'Must provide operation name if query contains multiple operations.';
        throw refusal(RefusalCode.OperationResolutionFailure, message);
      },
    };
  },
};
