import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';

/**
 * A gateway around another that reads something of each supergraph it serves and runs every
 * request through its own `execute`. The state is kept by the API schema Apollo Server hands each
 * request, so a reloaded supergraph brings its own and a request never sees another's.
 */
export abstract class WrappingGateway<State, Inner extends GatewayInterface = GatewayInterface> implements GatewayInterface {
  private readonly states = new WeakMap<GraphQLSchema, State>();

  constructor(protected readonly inner: Inner) {}

  /** What this wrapper needs of a supergraph, read once when it is loaded. */
  protected abstract read(coreSupergraphSdl: string): State;

  /** Runs one request; `state` is undefined for a schema this wrapper never saw loaded. */
  protected abstract execute(
    executor: GatewayExecutor,
    requestContext: GatewayGraphQLRequestContext,
    state: State | undefined,
  ): Promise<GatewayExecutionResult>;

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    return this.inner.onSchemaLoadOrUpdate((schemaContext) => {
      this.states.set(schemaContext.apiSchema, this.read(schemaContext.coreSupergraphSdl));
      callback(schemaContext);
    });
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.inner.load(options);
    return { executor: executor && ((requestContext) => this.execute(executor, requestContext, this.states.get(requestContext.schema))) };
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
