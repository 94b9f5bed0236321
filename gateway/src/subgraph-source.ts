import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { CHANGES_HEADER, ErrorCode, IDENTITY_HEADER, REQUEST_ID_HEADER, networkFailure, scopeKey } from '@thads/kit';
import { pendingIdentity, signingFetcher } from './auth/request-signing';
import type { FetchCache } from './cache/fetch-cache';
import type { GatewayContext } from './context';

/**
 * Adds what a subgraph said of a mutation's change notices (the CHANGES_HEADER value; null
 * when it said nothing, or its answer was lost) to the answer's list: once one mutation fetch
 * says nothing, the list is 'unknown' for good. Other fetches (queries) say nothing needed.
 */
function noteChanges(context: Partial<GatewayContext> | undefined, request: { query?: string }, names: string | null): void {
  const answer = context?.answer;
  if (!answer || answer.changes === 'unknown' || !request.query?.startsWith('mutation')) return;
  answer.changes = names === null ? 'unknown' : [...(answer.changes ?? []), ...(names ? names.split(',') : [])];
}

/**
 * Calls one subgraph, carrying the request id (one request reads across every log) and the
 * caller's signed identity; notes for the answer cache what the answer reads, and answers
 * from the fetch cache what no change has touched since it was fetched.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    options: { url: string; fetcher: Fetcher },
    identitySecret: string,
    private readonly subgraph: string,
    private readonly fetchCache?: FetchCache,
  ) {
    super({ url: options.url, fetcher: signingFetcher(options.fetcher, identitySecret, subgraph) });
  }

  /** The error of this subgraph being away: its fields are null in the answer, the others are answered. */
  private unavailable(why: string): GraphQLError {
    return new GraphQLError(`The ${this.subgraph} service is not answering (${why}); its fields are null in this answer. Retry in a few seconds.`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraph, retryable: true },
    });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await this.fetch(options);
    } catch (err) {
      // A mutation whose answer was lost may have committed: its caller's answer waits for the barrier.
      noteChanges((options as Partial<{ context: GatewayContext }>).context, options.request, null);
      const failure = networkFailure(err);
      if (failure) throw this.unavailable(failure);
      throw err;
    }
  }

  private fetch(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!('context' in options)) return super.process(options); // a health check or schema load
    const { identity, dependencies, live, cachesSettled } = options.context as Partial<GatewayContext>;
    dependencies?.noteFetch(this.subgraph, options.request.query, options.request.variables);
    // A live refresh runs because of a change: it may use the cache only once the cache has heard it.
    if (!this.fetchCache || !identity || (live && !cachesSettled)) return super.process(options);
    return this.fetchCache.fetch(this.subgraph, options.request, scopeKey(identity), (request) => super.process({ ...options, request }));
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { requestId, identity } = context as Partial<GatewayContext>;
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    // The subgraphs enforce access themselves, from this identity only, signed by the fetcher over the body it sends.
    if (identity) request.http?.headers.set(IDENTITY_HEADER, pendingIdentity(identity));
  }

  /** Notes the change notices a subgraph's mutation named (CHANGES_HEADER), for the answer to wait for. */
  override didReceiveResponse({
    response,
    request,
    context,
  }: Required<Pick<GatewayGraphQLRequestContext<GatewayContext>, 'request' | 'response' | 'context'>>): GatewayGraphQLResponse {
    noteChanges(context, request, response.http?.headers.get(CHANGES_HEADER) ?? null);
    return response;
  }

  /**
   * A subgraph that refuses a request (HTTP 400) says why in GraphQL errors with a code;
   * pass that on instead of a bare "400: Bad Request".
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const generic = await super.errorFromResponse(response);
    const body = (generic.extensions.response as { body?: unknown } | undefined)?.body as
      { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | undefined;
    const first = body?.errors?.[0];
    if (!first?.message || typeof first.extensions?.code !== 'string')
      return response.status >= 502 && response.status <= 504 ? this.unavailable(`HTTP ${response.status}`) : generic;
    return new GraphQLError(first.message, { extensions: { ...first.extensions } });
  }
}
