import type { IncomingMessage } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { ErrorCode, type PlainResponse } from '@thads/kit';

/** The media type of the GraphQL over HTTP specification, whose status codes say what failed. */
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * Errors of a well-formed request that the operation itself caused (it does not parse, does
 * not validate, its variables do not fit, it is over a limit): GraphQL errors, not HTTP ones.
 */
const REQUEST_ERRORS: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.OPERATION_LIMIT,
]);

/** Whether the client asked for application/graphql-response+json before application/json (its q-values and order). */
export function wantsGraphQLResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  let best: { type: string; q: number } | undefined;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    if (type !== GRAPHQL_RESPONSE && type !== 'application/json') continue;
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? '1',
    );
    if (!best || q > best.q) best = { type: type!, q };
  }
  return best?.type === GRAPHQL_RESPONSE;
}

function firstCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    const code = parsed.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function headerOf(response: HTTPGraphQLResponse | PlainResponse, name: string): string | undefined {
  if (Array.isArray(response.headers)) return response.headers.find(([k]) => k.toLowerCase() === name)?.[1];
  return response.headers.get(name);
}

/**
 * The status of an answer as the GraphQL over HTTP specification recommends for what the
 * client accepts: with application/json (legacy clients, and any client that sends no Accept),
 * a well-formed request whose operation fails to parse, validate or fit its limits is answered
 * 200 with the errors in the body; with application/graphql-response+json, 400 with that
 * media type. Other statuses (401, 403, 413, 429, 5xx) stay what they are.
 */
export function withSpecStatus<R extends HTTPGraphQLResponse | PlainResponse>(req: IncomingMessage, response: R): R {
  if (response.status !== 400) return response;
  const raw = response.body;
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : raw.kind === 'complete' ? raw.string : undefined;
  if (text === undefined) return response;
  const code = firstCode(text);
  if (!code || !REQUEST_ERRORS.has(code)) return response;
  if (wantsGraphQLResponse(req.headers.accept)) {
    if (!Array.isArray(response.headers)) return response; // Apollo Server negotiated it already
    return {
      ...response,
      headers: [...response.headers.filter(([k]) => k.toLowerCase() !== 'content-type'), ['content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`]],
    };
  }
  const type = headerOf(response, 'content-type');
  if (type && !type.startsWith('application/json')) return response;
  return { ...response, status: 200 };
}
