import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, ownErrorCode } from '../graphql/errors';

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

/**
 * Shapes every error a client sees: our own codes kept (even when graphql-js wrapped them),
 * and anything unexpected masked to INTERNAL_SERVER_ERROR with the request id, while the
 * whole error goes to the log.
 */
export function makeFormatError(logger: Logger, requestId: () => string | undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const own = ownErrorCode(error);
    const code = own ?? (formatted.extensions?.code as string | undefined);
    if (own || (code && CLIENT_CODES.has(code))) {
      const { stacktrace: _dropped, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const id = requestId();
    logger.error({ err: error, requestId: id, path: formatted.path }, 'unexpected error in a resolver');
    return {
      message: `Internal error. Quote request id ${id ?? 'unknown'} when you report it.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: id },
    };
  };
}
