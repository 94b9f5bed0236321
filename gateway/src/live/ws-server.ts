import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { GraphQLError, Kind, OperationTypeNode, getOperationAST, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, MAX_BODY_BYTES, checkDocumentText, checkVariables, type Identity } from '@thads/kit';
import type { AuthenticateConnection, AuthorizeOperation } from '../auth/identity';
import type { ConnectionSlots, SubscriptionCaps } from '../limits/subscription-caps';
import type { LiveFanout } from './live-fanout';
import type { LiveMetrics } from './metrics';
import { SocketSubscriber } from './socket-subscriber';
import { serveGraphQLWs } from './ws-adapter';

export interface LiveServerOptions {
  httpServer: Server;
  schema: () => GraphQLSchema | undefined;
  fanout: LiveFanout;
  authenticate: AuthenticateConnection;
  authorize: AuthorizeOperation;
  /** Caps on the live subscriptions of one connection and of one principal. */
  caps: SubscriptionCaps;
  /** As for HTTP: tokens a document may have, and brackets it may nest (checked before parsing). */
  parseLimits: { maxTokens: number; maxNesting: number };
  /** Tells which tokens were revoked, so that their connections close; without it they stay open until expiry. */
  revocations?: { onRevoked(listener: (jtis: string[]) => void): () => void };
  metrics: LiveMetrics;
  logger: Logger;
}

/** graphql-ws's close code for a connection whose credentials no longer hold; a client signs in again. */
export const CLOSE_UNAUTHORIZED = 4401;
/** setTimeout's longest delay; a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The document with only the operation to run (and the fragments): a refresh runs it without an operation name. */
function onlyOperation(document: DocumentNode, operationName: string | null | undefined): DocumentNode {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length <= 1) return document;
  const chosen = getOperationAST(document, operationName);
  return { ...document, definitions: document.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === chosen) };
}

const refuse = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

/** An input check's refusal as graphql-ws sends it: the HTTP status it names means nothing here. */
const overWebSocket = (error: GraphQLError) => {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
};

type Extra = Record<PropertyKey, unknown> & { identity?: Identity; principal?: string; slots?: ConnectionSlots; jti?: string; expiry?: NodeJS.Timeout };

/** The close code of a connection refused for too many failed authentications from its address. */
export const CLOSE_RATE_LIMITED = 4429;
/** WebSocket's "try again later": the credentials could not be checked (the database did not answer, say). */
const CLOSE_TRY_AGAIN = 1013;

/** A close reason fits in 123 bytes of UTF-8: longer ones are cut at a character. */
function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= 123) return text;
  let cut = text.slice(0, 120);
  while (Buffer.byteLength(`${cut}…`) > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Closes the connection when its token expires: its values stop with its credentials. */
function closeAtExpiry(extra: Extra, socket: WebSocket, expiresAt: number): void {
  extra.expiry = setTimeout(
    () => {
      if (Date.now() < expiresAt) return closeAtExpiry(extra, socket, expiresAt);
      socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: the token expired');
    },
    Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS),
  );
  extra.expiry.unref();
}
interface LiveContext {
  identity: Identity;
  socket: WebSocket;
  /** The connection's TCP socket (the upgraded request's), which the live values are written to. */
  raw: Socket;
  id: string;
}

/**
 * Parsed and validated subscription documents by text, per schema: ten thousand dashboards
 * send the same few documents, which are parsed and validated once (at most 1,000 kept).
 */
class DocumentCache {
  private schema?: GraphQLSchema;
  private readonly byText = new Map<string, { document: DocumentNode; errors?: undefined } | { errors: GraphQLError[]; document?: undefined }>();

  constructor(private readonly limits: { maxTokens: number; maxNesting: number }) {}

  check(schema: GraphQLSchema, text: string) {
    if (schema !== this.schema) {
      this.schema = schema;
      this.byText.clear();
    }
    let known = this.byText.get(text);
    if (!known) {
      known = this.parseAndValidate(schema, text);
      if (this.byText.size >= 1000) this.byText.clear();
      this.byText.set(text, known);
    }
    return known;
  }

  private parseAndValidate(schema: GraphQLSchema, text: string) {
    const refused = checkDocumentText(text, this.limits.maxNesting);
    if (refused) return { errors: [overWebSocket(refused)] };
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: this.limits.maxTokens });
    } catch (err) {
      return { errors: refuse((err as Error).message, 'GRAPHQL_PARSE_FAILED') };
    }
    const invalid = validate(schema, document);
    if (invalid.length)
      return { errors: invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
    return { document };
  }
}

/**
 * graphql-ws on the gateway's `/graphql` path: identity checked in onConnect from
 * connectionParams (a refused credential closes with 4401, too many failures with 4429), each operation parsed, validated and
 * authorized in onSubscribe, then served by the live layer (LiveFanout). A connection is
 * closed with 4401 when its token expires or is revoked.
 */
export function attachLiveServer(options: LiveServerOptions): { dispose(): Promise<void> } {
  const { metrics, logger } = options;
  const { caps } = options;
  const documents = new DocumentCache(options.parseLimits);
  // A graphql-ws message is a document and its variables: as much as an HTTP body at most (larger closes with 1009).
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: MAX_BODY_BYTES });
  const byJti = new Map<string, Set<WebSocket>>();
  const stopHearing = options.revocations?.onRevoked((jtis) => {
    for (const jti of jtis) for (const socket of byJti.get(jti) ?? []) socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: the token was revoked');
  });
  const server = serveGraphQLWs<Record<string, unknown> | undefined, Extra>(
    {
      onConnect: async (ctx) => {
        const extra = ctx.extra as Extra;
        try {
          const caller = await options.authenticate(ctx.connectionParams, ctx.extra.request);
          // Closed while its credentials were checked: onClose has run already, so nothing may be kept for it.
          if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
          Object.assign(extra, { identity: caller.identity, principal: caller.principal, slots: new Set<string>() });
          if (caller.expiresAt !== undefined) closeAtExpiry(extra, ctx.extra.socket, caller.expiresAt);
          if (caller.jti) {
            extra.jti = caller.jti;
            const sockets = byJti.get(caller.jti) ?? new Set();
            sockets.add(ctx.extra.socket);
            byJti.set(caller.jti, sockets);
          }
        } catch (err) {
          // The close code says whether trying again can help: graphql-ws clients give up on 4401
          // and 4429, and retry anything else.
          const extensions = (err as GraphQLError).extensions;
          const socket = ctx.extra.socket;
          if (extensions?.code === ErrorCode.RATE_LIMITED) socket.close(CLOSE_RATE_LIMITED, `RATE_LIMITED: retry in ${String(extensions.retryAfter)} s`);
          else if (extensions?.code === ErrorCode.UNAUTHENTICATED) socket.close(CLOSE_UNAUTHORIZED, closeReason(`UNAUTHENTICATED: ${(err as Error).message}`));
          else {
            logger.error({ err }, 'checking a live connection’s credentials failed');
            socket.close(CLOSE_TRY_AGAIN, 'Try again later: the credentials could not be checked');
          }
          return false;
        }
        metrics.connections++;
        return true;
      },
      onClose: (ctx) => {
        const extra = ctx.extra as Extra;
        clearTimeout(extra.expiry);
        const sockets = extra.jti ? byJti.get(extra.jti) : undefined;
        sockets?.delete(ctx.extra.socket);
        if (sockets?.size === 0) byJti.delete(extra.jti!);
        if (!extra.identity) return;
        metrics.connections--;
        caps.releaseAll(extra.slots!, extra.principal!);
      },
      onComplete: (ctx, id) => {
        const extra = ctx.extra as Extra;
        if (extra.slots) caps.release(extra.slots, extra.principal!, id);
      },
      onSubscribe: async (ctx, id, payload) => {
        const schema = options.schema();
        if (!schema) return refuse('The gateway is still loading its schema; retry in a moment.', 'SERVICE_UNAVAILABLE');
        const badVariables = checkVariables(payload.variables ?? {}, options.parseLimits.maxNesting);
        if (badVariables) return [overWebSocket(badVariables)];
        const checked = documents.check(schema, payload.query);
        if (checked.errors) return checked.errors;
        const document = checked.document;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refuse('Name the operation to run (operationName).', 'BAD_USER_INPUT');
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return refuse('Only subscriptions are served over WebSocket; send queries and mutations over HTTP to /graphql.', 'BAD_REQUEST');
        }
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (coerced.errors)
          return coerced.errors.map(
            (e) => new GraphQLError(e.message, { extensions: { code: (e.originalError as GraphQLError | undefined)?.extensions?.code ?? 'BAD_USER_INPUT' } }),
          );
        const identity = (ctx.extra as Extra).identity!;
        const denied = await options.authorize(identity, document, payload.variables ?? {});
        if (denied?.length) return denied;
        // Last: a slot is taken only for a subscription that will run (onComplete or onClose gives it back).
        const extra = ctx.extra as Extra;
        const capped = caps.take(extra.slots!, extra.principal!, id);
        if (capped) return [capped];
        return {
          schema,
          document,
          variableValues: payload.variables ?? {},
          operationName: payload.operationName ?? undefined,
          contextValue: { identity, socket: ctx.extra.socket, raw: ctx.extra.request.socket, id } satisfies LiveContext,
        };
      },
      subscribe: (args) => {
        const { identity, socket, raw, id } = args.contextValue as LiveContext;
        // The live layer writes the values to the socket itself (see SocketSubscriber).
        return options.fanout.subscribe(
          onlyOperation(args.document, args.operationName),
          (args.variableValues ?? {}) as Record<string, unknown>,
          identity,
          new SocketSubscriber(socket, raw, id),
        ) as unknown as AsyncGenerator<ExecutionResult>;
      },
    },
    wss,
    logger,
  );
  wss.on('error', (err) => logger.error({ err }, 'websocket server error'));
  return {
    dispose: async () => {
      stopHearing?.();
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
