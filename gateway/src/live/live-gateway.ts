import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import { withSubscriptions } from './subscription-schema';

/**
 * The Apollo gateway, seen by Apollo Server and the live layer with a Subscription type
 * added to its API schema, so that integrators find the live fields by introspection and
 * subscription documents validate like any other.
 */
export class LiveGateway implements GatewayInterface {
  schema?: GraphQLSchema;

  constructor(
    private readonly inner: ApolloGateway,
    private readonly prepare: (api: GraphQLSchema) => void,
  ) {}

  onSchemaLoadOrUpdate(callback: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]): () => void {
    return this.inner.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.prepare(apiSchema);
      this.schema = withSubscriptions(apiSchema);
      callback({ apiSchema: this.schema, coreSupergraphSdl });
    });
  }

  load(options: Parameters<GatewayInterface['load']>[0]) {
    return this.inner.load(options as Parameters<ApolloGateway['load']>[0]) as ReturnType<GatewayInterface['load']>;
  }

  stop() {
    return this.inner.stop();
  }
}
