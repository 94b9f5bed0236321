import { GraphQLError } from 'graphql';
import { ErrorCode } from '../graphql/errors';

/** Node's codes of a connection that could not be made or was lost, in words that name no address. */
const NETWORK_FAILURES = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'connection reset'],
  ['EPIPE', 'connection closed'],
  ['ETIMEDOUT', 'timed out'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'host not found'],
]);
/**
 * PostgreSQL's codes of a server going away or not there yet: connection exceptions (class
 * 08), an administrator's or crash shutdown and a server starting up (57P01–57P03).
 */
const DATABASE_CODES = /^(08\d{3}|57P0[123])$/;
/** What pg and its pool say when a connection cannot be had or was cut. */
const DATABASE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

interface Link {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  /** TypeORM's QueryFailedError keeps pg's error here. */
  driverError?: unknown;
  /** graphql-js's wrapper of something thrown that was not an Error (pg's connect failure, say). */
  thrownValue?: unknown;
}

/** An error and what it wraps: graphql-js's originalError and thrownValue, TypeORM's driverError, a cause. */
function* chain(error: unknown): Generator<Link> {
  let current = error as Link | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    yield current;
    current = (current.originalError ?? current.thrownValue ?? current.driverError ?? current.cause) as Link | undefined;
  }
}

/**
 * What a lost or refused network connection was, in words fit for a caller (no host or port:
 * callers need not learn the private network); undefined when the error is not one.
 */
export function networkFailure(error: unknown): string | undefined {
  for (const e of chain(error)) if (typeof e.code === 'string' && NETWORK_FAILURES.has(e.code)) return NETWORK_FAILURES.get(e.code);
  return undefined;
}

/** Whether an error (or what it wraps) says the database is not there: refused, gone, shutting down, starting. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && (NETWORK_FAILURES.has(e.code) || DATABASE_CODES.test(e.code))) return true;
    if (typeof e.message === 'string' && DATABASE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** The error a client sees when the database is away: retryable, and nothing was written (a write's transaction never committed). */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError('The database is not answering right now; nothing was written. Retry in a few seconds (with the same idempotency key for a write).', {
    extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, retryable: true },
  });
}
