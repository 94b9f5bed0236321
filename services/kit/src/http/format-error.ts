import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, ownErrorCode } from '../graphql/errors';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';

/** Codes that describe the request itself; their messages are safe and useful to show. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** The code a client may see for an error, or undefined when it is unexpected (masked). */
function shownCode(error: unknown, formattedCode: unknown): string | undefined {
  const own = ownErrorCode(error);
  const code = own ?? (formattedCode as string | undefined);
  if (own || (code && CLIENT_CODES.has(code))) return code;
  // Apollo Server refuses some malformed requests without a code but with a 4xx status (a persisted query whose
  // sha256 does not match its text): the request's fault, not ours.
  const status = (error as { extensions?: { http?: { status?: unknown } } } | undefined)?.extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : undefined;
}

const internalMessage = (requestId: string) => `Internal error. Quote request id ${requestId} when you report it.`;

/**
 * Shapes every error a client sees: our own codes kept (even when graphql-js wrapped them),
 * and anything unexpected masked to INTERNAL_SERVER_ERROR, never a stack or SQL. The request
 * id is filled in by `errorReportingPlugin`, which has the request's context.
 */
export function makeFormatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (!ownErrorCode(error) && isDatabaseUnavailable(error)) {
      const away = databaseUnavailable();
      return { message: away.message, locations: formatted.locations, path: formatted.path, extensions: away.extensions };
    }
    const code = shownCode(error, formatted.extensions?.code);
    if (code) {
      const { stacktrace: _dropped, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions: { ...extensions, code } };
    }
    return { message: internalMessage('unknown'), locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

/**
 * Logs each unexpected error whole with its request id, and gives the client that id in the
 * masked message: what a person needs to find it in the logs. (The request id comes from the
 * context, not from an AsyncLocalStorage: that would put a hook on every promise of every
 * request.)
 */
export function errorReportingPlugin(logger: Logger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          const requestId = (contextValue as { requestId?: string }).requestId;
          for (const err of errors as readonly GraphQLError[]) {
            if (isDatabaseUnavailable(err) && !ownErrorCode(err))
              logger.warn({ requestId, path: err.path, reason: err.message }, 'the database is not answering');
            else if (!shownCode(err, err.extensions?.code)) logger.error({ err, requestId, path: err.path }, 'unexpected error in a resolver');
          }
        },
        async willSendResponse({ response, contextValue }) {
          const requestId = (contextValue as { requestId?: string }).requestId ?? 'unknown';
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
            e.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR && e.extensions.requestId === undefined
              ? { ...e, message: internalMessage(requestId), extensions: { ...e.extensions, requestId } }
              : e,
          );
        },
      };
    },
  };
}
