import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { ErrorCode } from '../graphql/errors';
import { DEFAULT_MAX_NESTING, checkRequestInputs } from './input-checks';
import { linkGraphQLRequest, noteAnswer } from '../observe/request-observer';

/** The largest body read. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * What of a body over the limit is still read and thrown away, so that its sender finishes
 * sending and reads the 413 (a connection closed under a sender that is still writing loses
 * the answer). A sender of more than this gets its connection closed after the answer.
 */
const MAX_DISCARDED_BYTES = 32 * MAX_BODY_BYTES;

class BodyTooLarge extends Error {
  constructor(readonly closeConnection: boolean) {
    super('body too large');
  }
}

/** Each request's body as it came, for checks that cover the bytes sent (the signed identity). */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** The body of a request read by `readGraphQLRequest`, byte for byte; undefined before it is read. */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return rawBodies.get(req);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_DISCARDED_BYTES) {
      reject(new BodyTooLarge(true));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (chunks.length) chunks.length = 0;
      if (size > MAX_DISCARDED_BYTES) {
        req.pause();
        reject(new BodyTooLarge(true));
      }
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(new BodyTooLarge(false));
      const raw = Buffer.concat(chunks);
      rawBodies.set(req, raw);
      resolve(raw.toString('utf8'));
    });
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/json') || contentType?.includes('application/graphql-response+json')) {
    return JSON.parse(raw);
  }
  return raw;
}

/** An answer written as it is: status, headers and the whole body (encoded once when it is kept and sent again). */
export interface PlainResponse {
  status: number;
  headers: [string, string][];
  body: string | Buffer;
}

const refusal = (status: number, message: string, extensions: Record<string, unknown>, headers: [string, string][] = []): PlainResponse => ({
  status,
  headers: [['content-type', 'application/json'], ...headers],
  body: JSON.stringify({ errors: [{ message, extensions }] }),
});

/** A refusal from a GraphQLError's message and extensions, with the status its `http` extension names (400 without one). */
function refusalOf(err: { message: string; extensions?: Record<string, unknown> }): PlainResponse {
  const { http, ...extensions } = (err.extensions ?? {}) as { http?: { status?: number } };
  return refusal(http?.status ?? 400, err.message, extensions);
}

/** The parts of a request that the input checks read: from the JSON body, or from the query string of a GET. */
function inputsOf(body: unknown, url: URL): Parameters<typeof checkRequestInputs>[0] {
  if (body !== undefined) {
    const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    return { query: fields.query, variables: fields.variables, rest: body };
  }
  let variables: unknown;
  try {
    variables = JSON.parse(url.searchParams.get('variables') ?? 'null');
  } catch {
    variables = undefined; // Apollo Server says what is wrong with it
  }
  return { query: url.searchParams.get('query') ?? undefined, variables };
}

/**
 * Reads one Node HTTP request into what Apollo Server takes: headers, query string and the
 * parsed body (persisted operations resolved by `rewriteBody`). A request that cannot be read,
 * or whose inputs fail the checks of input-checks.ts (nesting, control characters), comes
 * back as the answer to send instead.
 */
export async function readGraphQLRequest(
  req: IncomingMessage,
  rewriteBody?: (body: Record<string, unknown>) => Record<string, unknown>,
  maxNesting = DEFAULT_MAX_NESTING,
): Promise<HTTPGraphQLRequest | PlainResponse> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  try {
    body = parseBody(await readBody(req), req.headers['content-type']);
  } catch (err) {
    if (err instanceof BodyTooLarge)
      return refusal(
        413,
        `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB; send a smaller operation (imports go through hub import).`,
        { code: ErrorCode.PAYLOAD_TOO_LARGE, maxBytes: MAX_BODY_BYTES },
        err.closeConnection ? [['connection', 'close']] : [],
      );
    return refusal(400, 'The request body is not valid JSON.', { code: 'BAD_REQUEST' });
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (rewriteBody) {
    try {
      if (body && typeof body === 'object' && !Array.isArray(body)) body = rewriteBody(body as Record<string, unknown>);
      else if (req.method === 'GET') {
        const rewritten = rewriteBody(Object.fromEntries(url.searchParams));
        url.search = new URLSearchParams(Object.entries(rewritten).filter(([, v]) => typeof v === 'string') as [string, string][]).toString();
      }
    } catch (err) {
      const e = err as { message: string; extensions?: Record<string, unknown> };
      const { http: _http, ...extensions } = e.extensions ?? {};
      return refusal(400, e.message, extensions);
    }
  }
  const refused = checkRequestInputs(inputsOf(body, url), maxNesting);
  if (refused) return refusalOf(refused);
  const request = { method: req.method ?? 'GET', headers, search: url.search, body };
  linkGraphQLRequest(req, request);
  return request;
}

export function isPlainResponse(value: HTTPGraphQLRequest | PlainResponse): value is PlainResponse {
  return 'status' in value;
}

/** Writes an answer; an incremental one (a stream) is written as it comes. */
export async function writeGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse | PlainResponse): Promise<void> {
  noteAnswer(res, response);
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) {
    res.end(response.body);
    return;
  }
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Hands one Node HTTP request to Apollo Server (its own content negotiation and status
 * codes) and writes the answer, streaming incremental responses.
 */
export async function handleGraphQLRequest<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<TContext>,
  rewriteBody?: (body: Record<string, unknown>) => Record<string, unknown>,
  maxNesting = DEFAULT_MAX_NESTING,
): Promise<void> {
  const request = await readGraphQLRequest(req, rewriteBody, maxNesting);
  if (isPlainResponse(request)) return writeGraphQLResponse(res, request);
  await writeGraphQLResponse(res, await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context }));
}
