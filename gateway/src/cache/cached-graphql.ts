import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, ApolloServerPlugin, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { isPlainResponse, readGraphQLRequest, scopeKey, writeGraphQLResponse, type PlainResponse } from '@thads/kit';
import type { GatewayContext } from '../context';
import { withSpecStatus } from '../http/status';
import type { AnswerCache, Computed } from './answer-cache';
import { Dependencies } from './dependencies';

export interface CachedGraphQLOptions {
  apollo: ApolloServer<GatewayContext>;
  /** Unset: every request is executed (no DATABASE_URL, or ANSWER_CACHE=off). */
  cache?: AnswerCache;
  context: (req: IncomingMessage, requestId: string) => Promise<GatewayContext>;
  rewriteBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Brackets a document, and levels a JSON body, may nest (checked before parsing). */
  maxNesting?: number;
  /**
   * Runs after a mutation, before its answer leaves: resolves once this gateway has heard
   * the changes the mutation committed (and dropped what they touch), so that the caller's
   * next read includes its write. `changes`: the notices its subgraphs named, if they all did.
   */
  afterMutation?: (changes: string[] | undefined) => Promise<void>;
}

/** Marks in the context what the operation was and whether its answer may be kept: a query, answered 200 without errors. */
export function answerPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (contextValue.answer) contextValue.answer.operation = operation?.operation;
        },
        async willSendResponse({ response, contextValue }) {
          const answer = contextValue.answer;
          if (!answer) return;
          const status = response.http.status ?? 200;
          answer.cacheable = answer.operation === 'query' && status === 200 && response.body.kind === 'single' && !response.body.singleResult.errors;
        },
      };
    },
  };
}

/** An answer as one string (a streamed, incremental one read to its end). */
async function plain(response: HTTPGraphQLResponse): Promise<PlainResponse> {
  let body: string;
  if (response.body.kind === 'complete') body = response.body.string;
  else {
    body = '';
    for await (const chunk of response.body.asyncIterator) body += chunk;
  }
  return { status: response.status ?? 200, headers: [...response.headers], body };
}

/** Equal keys are equal requests from callers who see equal data. */
function keyOf(context: GatewayContext, request: HTTPGraphQLRequest): string {
  const what = request.method === 'GET' ? request.search : JSON.stringify(request.body);
  return createHash('sha1')
    .update(`${scopeKey(context.identity)}\n${request.headers.get('accept') ?? ''}\n${request.method}\n${what}`)
    .digest('base64');
}

/**
 * The gateway's /graphql: the caller is authenticated (and rate-limited) first, then the answer
 * comes from the cache when one is kept for this request and caller's scope, else from Apollo
 * Server, noting what it read so that the answer can be kept until a change touches it.
 */
export function cachedGraphQL(options: CachedGraphQLOptions) {
  const { apollo, cache } = options;
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    // Every answer leaves with the status its client's Accept calls for.
    const respond = (response: HTTPGraphQLResponse | PlainResponse) => writeGraphQLResponse(res, withSpecStatus(req, response));
    const request = await readGraphQLRequest(req, options.rewriteBody, options.maxNesting);
    if (isPlainResponse(request)) return respond(request);
    let context: GatewayContext;
    try {
      context = await options.context(req, requestId);
    } catch (err) {
      // Refused (no credential, rate limit): Apollo Server shapes the error and its status.
      return respond(await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => Promise.reject(err) }));
    }
    const compute = async (): Promise<Computed> => {
      const dependencies = new Dependencies();
      const answer: NonNullable<GatewayContext['answer']> = {};
      const response = await plain(
        await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: async () => ({ ...context, dependencies, answer }) }),
      );
      if (answer.operation === 'mutation') await options.afterMutation?.(answer.changes === 'unknown' ? undefined : answer.changes);
      return { response, cacheable: answer.cacheable === true, dependencies };
    };
    if (!cache?.isEnabled) return respond((await compute()).response);
    await respond(await cache.answer(keyOf(context, request), compute));
  };
}
