// The public GraphQL API over HTTP (POST /graphql), and its errors in plain words.

import { t, type LabelKey } from './i18n.js';
import { authorization } from './session.js';

/** A refusal or failure of the API, with its stable code (extensions.code) and message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PLAIN: Record<string, LabelKey> = {
  UNAUTHENTICATED: 'errUnauthenticated',
  FORBIDDEN: 'errForbidden',
  UNIT_NOT_FOUND: 'errNotFound',
  UNIT_NOT_VALID: 'errNotFound',
  INVALID_PERIOD: 'errPeriod',
  INVALID_DATE: 'errDate',
  FUTURE_DATE: 'errDate',
  RATE_LIMITED: 'errRateLimited',
  BAD_USER_INPUT: 'errBadInput',
  NETWORK: 'errNetwork',
  SUBGRAPH_UNAVAILABLE: 'errUnavailable',
  DATABASE_UNAVAILABLE: 'errDatabase',
};

/** Codes of failures that may pass by themselves: their error box offers to try again. */
export const RETRYABLE = new Set(['NETWORK', 'SUBGRAPH_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'RATE_LIMITED']);

/** The event a "try again" button sends: the current view is drawn again. */
export const RETRY_EVENT = 'thads:retry';

/** What an error means for the reader, in the current language, followed by what the API said. */
export function plainWords(error: unknown): { summary: string; detail: string } {
  if (error instanceof ApiError) return { summary: t(PLAIN[error.code] ?? 'errOther'), detail: `${t('apiSaid')}: ${error.code} – ${error.message}` };
  return { summary: t('errOther'), detail: error instanceof Error ? error.message : String(error) };
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string };
}

/** The first error of a GraphQL answer as an ApiError. */
export function apiErrorOf(errors: readonly GraphQLErrorShape[]): ApiError {
  const first = errors[0];
  return new ApiError(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first?.message ?? 'unknown error');
}

/** Runs one query with the tab's credential; any error of the answer is thrown as an ApiError. */
export async function query<T>(document: string, variables: Record<string, unknown>): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  const auth = authorization();
  if (auth) headers.authorization = auth;
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: document, variables }) });
  } catch (err) {
    throw new ApiError('NETWORK', err instanceof Error ? err.message : String(err));
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError('NETWORK', `HTTP ${response.status}`);
  }
  if (body.errors?.length) throw apiErrorOf(body.errors);
  if (!body.data) throw new ApiError('INTERNAL_SERVER_ERROR', `HTTP ${response.status}`);
  return body.data;
}
