import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity } from '@thads/kit';
import type { GatewayContext } from './context';

/**
 * Calls one subgraph, carrying the request id (one request reads across every log) and the
 * caller's signed identity, and noting for the answer cache what the answer reads.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    options: { url: string; fetcher?: Fetcher },
    private readonly identitySecret: string,
    private readonly subgraph: string,
  ) {
    super(options);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { requestId, identity, dependencies } = context as Partial<GatewayContext>;
    dependencies?.noteFetch(this.subgraph, request.variables);
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    // The subgraphs enforce access themselves, from this signed identity only.
    if (identity) request.http?.headers.set(IDENTITY_HEADER, signIdentity(identity, this.identitySecret));
  }

  /**
   * A subgraph that refuses a request (HTTP 400) says why in GraphQL errors with a code;
   * pass that on instead of a bare "400: Bad Request".
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const generic = await super.errorFromResponse(response);
    const body = (generic.extensions.response as { body?: unknown } | undefined)?.body as { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | undefined;
    const first = body?.errors?.[0];
    if (!first?.message || typeof first.extensions?.code !== 'string') return generic;
    return new GraphQLError(first.message, { extensions: { ...first.extensions } });
  }
}
