import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
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

  /**
   * The inner gateway's executor, but for operations that only introspect: the Apollo gateway
   * answers those from its own API schema, which has no Subscription type; they are answered
   * here from the schema with it.
   */
  async load(options: Parameters<GatewayInterface['load']>[0]): ReturnType<GatewayInterface['load']> {
    const { executor } = (await this.inner.load(options as Parameters<ApolloGateway['load']>[0])) as Awaited<ReturnType<GatewayInterface['load']>>;
    if (!executor) throw new Error('the Apollo gateway loaded without an executor');
    return {
      executor: (requestContext) => {
        const schema = this.schema;
        if (!schema || !onlyIntrospects(requestContext.operation)) return executor(requestContext);
        return Promise.resolve(
          execute({
            schema,
            document: requestContext.document,
            operationName: requestContext.operationName ?? undefined,
            variableValues: requestContext.request.variables,
          }),
        ) as ReturnType<typeof executor>;
      },
    };
  }

  stop() {
    return this.inner.stop();
  }
}

/** Whether every root field of a query is an introspection field (`__schema`, `__type`, `__typename`). */
function onlyIntrospects(operation: OperationDefinitionNode): boolean {
  return operation.operation === 'query' && operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}
