import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { apolloLogger } from '../log/logger';
import { errorReportingPlugin, makeFormatError } from './format-error';
import { handleGraphQLRequest } from './graphql-http';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { RequestObserver, flushTracing, initTracing, serveMetrics } from '../observe';

export interface ServiceOptions<TContext extends BaseContext> {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  /** A subgraph's schema, or a gateway. */
  schema?: GraphQLSchema;
  gateway?: GatewayInterface;
  /** Builds the per-request context: DataLoaders are made here, one set a request. */
  context: (req: IncomingMessage, requestId: string) => Promise<TContext>;
  /** Whether dependencies answer (the database); `/ready` says 503 until they do. */
  ready: () => Promise<boolean>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Called on stop after HTTP has drained: close pools, brokers. */
  onStop?: () => Promise<void>;
  /** More Prometheus text for /metrics (the gateway's live layer), after the service's and the process's. */
  metrics?: () => Promise<string>;
  /** When set, /metrics answers only `Authorization: Bearer <this>` (METRICS_TOKEN); unset, anyone who reaches the port. */
  metricsToken?: string;
  /** Cross-origin headers and preflights (the gateway's allow-list), before any route; return true when it answered. */
  cors?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Extra routes (the gateway's exports); return true when handled. */
  extraRoute?: (req: IncomingMessage, res: ServerResponse) => boolean;
  introspection?: boolean;
  /** Limits of the parser, e.g. maxTokens, applied before anything else. */
  parseOptions?: { maxTokens?: number };
  /** Brackets a document, and levels a JSON body, may nest: checked before parsing (input-checks.ts). @default 64 */
  maxNesting?: number;
  /** Rewrites a POSTed or GET body before Apollo sees it (persisted operations); may throw a GraphQLError. */
  rewriteBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Serves /graphql in place of the plain hand-over to Apollo Server (the gateway answers from
   * its cache first); made once the server has started.
   */
  graphqlHandler?: (apollo: ApolloServer<TContext>) => (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;
}

export interface RunningService {
  url: string;
  port: number;
  httpServer: Server;
  apollo: ApolloServer<BaseContext>;
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Whether a request may read /metrics: any, without a token; else only with it as a bearer credential (compared in constant time). */
function mayReadMetrics(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(req.headers.authorization ?? ''), digest(`Bearer ${token}`));
}

/**
 * Starts one GraphQL process: `/graphql` through Apollo Server, `/health` (the process is
 * up) and `/ready` (its dependencies answer), a request id on every request and log line,
 * and a stop that drains HTTP before closing what `onStop` closes.
 */
/** How long an idle kept-alive connection stays open (below Node's 60 s headers timeout). */
const KEEP_ALIVE_MS = 30_000;

export async function startService<TContext extends BaseContext>(options: ServiceOptions<TContext>): Promise<RunningService> {
  const { logger } = options;
  initTracing(options.name);
  const observer = new RequestObserver(options.name);
  const httpServer = createServer();
  // An idle kept-alive socket stays open 30 s, not Node's 5: a client whose event loop was busy
  // for a few seconds (a gateway under load, a test computing its expectation) would otherwise
  // reuse a socket the server is closing at that moment and see its request reset. The
  // gateway's own agent closes its idle sockets after 4 s, well before.
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;
  const apollo = new ApolloServer<TContext>({
    ...(options.gateway ? { gateway: options.gateway } : { schema: options.schema! }),
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    // runProcess owns the signals: drain, close the pool, then exit 0.
    stopOnTerminationSignals: false,
    // Callers authenticate with bearer tokens, which browsers do not send on their own: no CSRF to prevent,
    // and GET queries stay as the GraphQL-over-HTTP specification describes them.
    csrfPrevention: false,
    parseOptions: options.parseOptions,
    formatError: makeFormatError(),
    logger: apolloLogger(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      errorReportingPlugin(logger),
      // Traces are for Apollo's hosted usage reporting, which this hub does not use; cache hints
      // neither (the gateway knows when an answer changes): both would wrap every field
      // resolver of every entity in a hook.
      ...(options.schema ? [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()] : []),
      observer.plugin<TContext>(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  const serveGraphQL =
    options.graphqlHandler?.(apollo) ??
    ((req, res, requestId) => handleGraphQLRequest(apollo, req, res, () => options.context(req, requestId), options.rewriteBody, options.maxNesting));

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdFrom(req.headers);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (options.cors?.(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return json(res, 200, { status: 'ok', service: options.name });
    if (path === '/ready') {
      options.ready().then(
        (ok) => json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', service: options.name }),
        () => json(res, 503, { status: 'not ready', service: options.name }),
      );
      return;
    }
    if (path === '/metrics') {
      if (!mayReadMetrics(req, options.metricsToken)) return json(res, 401, { error: 'This /metrics asks for "Authorization: Bearer <METRICS_TOKEN>".' });
      return serveMetrics(res, observer, options.metrics);
    }
    if (options.extraRoute?.(req, res)) return;
    if (path !== '/graphql') return json(res, 404, { error: `No route ${path}: GraphQL is served at /graphql.` });
    const started = process.hrtime.bigint();
    observer
      .serve(req, res, () => serveGraphQL(req, res, requestId))
      .then(() => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.debug({ requestId, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'graphql request');
      })
      .catch((err: unknown) => {
        logger.error({ err, requestId }, 'request failed');
        if (!res.headersSent)
          json(res, 500, { errors: [{ message: `Internal error, request id ${requestId}.`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else res.end();
      });
  });

  // What Node's HTTP parser refuses before any route sees it (a GET URL past 16 KiB, a malformed request line): a
  // GraphQL error with a code like every other refusal, instead of Node's bare status line.
  httpServer.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      errors: [
        {
          message: tooLarge
            ? 'The request line and headers are over the 16 KiB the server reads; send a long operation or its variables in a POST body.'
            : 'The request is not valid HTTP.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, `${options.name} listening`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    stop: () =>
      (stopping ??= (async () => {
        await apollo.stop();
        await options.onStop?.();
        await flushTracing();
        logger.info(`${options.name} stopped`);
      })()),
  };
}

/** Wires SIGTERM/SIGINT to a clean stop and a failed start to exit code 1. */
export function runProcess(name: string, logger: Logger, start: () => Promise<{ stop(): Promise<void> }>): void {
  start()
    .then((running) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, `${name} shutting down`);
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'unclean shutdown');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    })
    .catch((err: unknown) => {
      logger.fatal({ err }, `${name} failed to start`);
      process.exit(1);
    });
}
