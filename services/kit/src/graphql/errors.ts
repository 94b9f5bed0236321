import { GraphQLError } from 'graphql';

/**
 * Stable error codes, carried in `extensions.code`. Clients switch on these; the
 * message is for people and may change.
 */
export const ErrorCode = {
  /** A value in the request is malformed (wrong shape, out of range). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A date is not a real calendar date in the form YYYY-MM-DD. */
  INVALID_DATE: 'INVALID_DATE',
  /** A reporting period is malformed or inconsistent. */
  INVALID_PERIOD: 'INVALID_PERIOD',
  /** No organizational unit has this id or code (at the given date). */
  UNIT_NOT_FOUND: 'UNIT_NOT_FOUND',
  /** No enforcement case has this id. */
  CASE_NOT_FOUND: 'CASE_NOT_FOUND',
  /** No petition has this id. */
  PETITION_NOT_FOUND: 'PETITION_NOT_FOUND',
  /** The unit exists but not on the event's date, or cannot hold events (the ministry). */
  UNIT_NOT_VALID: 'UNIT_NOT_VALID',
  /** The event's date is after today in Vietnam. */
  FUTURE_DATE: 'FUTURE_DATE',
  /** The event's date falls in a reporting period that is closed. */
  PERIOD_CLOSED: 'PERIOD_CLOSED',
  /** The idempotency key was used before for a different request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** An import file has lines that cannot be read or applied; nothing was written. */
  IMPORT_REJECTED: 'IMPORT_REJECTED',
  /** No valid credentials: a missing, expired, forged or revoked token or key. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Valid credentials that do not allow this unit, field family or operation. */
  FORBIDDEN: 'FORBIDDEN',
  /** Too many requests from one identity; retry after the time given. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The operation is too deep, too wide or too costly, or not registered. */
  OPERATION_LIMIT: 'OPERATION_LIMIT',
  /** The request body is larger than the server reads (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Too many live subscriptions open on one connection or for one principal; complete some first. */
  SUBSCRIPTION_LIMIT: 'SUBSCRIPTION_LIMIT',
  /** A service behind the gateway did not answer: its fields are null in this answer; retry in a few seconds (extensions.serviceName). */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The database did not answer: nothing was written; retry in a few seconds (the same idempotency key is safe). */
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** Something failed on our side; the request id in the logs tells what. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const ownCodes = new Set<string>(Object.values(ErrorCode));

/** An error caused by the request, with a stable code and details a client can act on. */
export function userError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code } });
}

/**
 * The most specific code of our own set in an error's chain. graphql-js and Apollo wrap a
 * scalar's parse error into a validation error; the code the scalar set is the useful one.
 */
export function ownErrorCode(error: unknown): ErrorCode | undefined {
  let current: unknown = error;
  let found: ErrorCode | undefined;
  for (let depth = 0; current && depth < 8; depth++) {
    const code = (current as { extensions?: { code?: unknown } }).extensions?.code;
    if (typeof code === 'string' && ownCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) found = code as ErrorCode;
    current = (current as { originalError?: unknown }).originalError;
  }
  return found;
}
