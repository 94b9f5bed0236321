import type { IncomingMessage } from 'node:http';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode, getOperationAST, type FragmentDefinitionNode } from 'graphql';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import {
  DEFAULT_MAX_NESTING,
  EVERYTHING,
  createLogger,
  ensureApiKeyTable,
  observePools,
  requestIdFrom,
  startService,
  type ChangeNotice,
  type RunningService,
} from '@thads/kit';
import { credentialOf, type AuthOptions } from './auth/authenticate';
import { KeyIdentities } from './auth/key-identities';
import { authenticateCaller } from './auth/caller';
import { RevocationList } from './auth/revocation-list';
import { JwtVerifier } from './auth/jwt';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { federatedGateway } from './federated-gateway';
import { PersistedOperations } from './limits/persisted-operations';
import { checkOperation, type OperationLimits } from './limits/operation-limits';
import { STATIC_SIZES, type HierarchySizes } from './limits/hierarchy-sizes';
import { HierarchySource } from './limits/hierarchy-source';
import { AuthFailureLimiter } from './limits/auth-failures';
import { ClientAddresses } from './limits/client-address';
import { RequestLimits } from './limits/rate-limit';
import { SubscriptionCaps } from './limits/subscription-caps';
import { startLocalEngine, type LiveEngine } from './live/live-engine';
import { LiveFanout } from './live/live-fanout';
import type { Publish } from './live/live-registry';
import { LiveMetrics } from './live/metrics';
import { executorOf } from './live/refresh-executor';
import { WorkerEngine } from './live/worker-engine';
import { attachLiveServer } from './live/ws-server';
import { allReady } from './subgraphs';
import { exportRoute } from './export/export-route';
import { corsPolicy, parseOrigins } from './http/cors';
import { loadDashboardFiles } from './dashboard/dashboard-files';
import { dashboardRoute } from './dashboard/dashboard-route';
import { startCaches, type Caches } from './cache/caches';
import { answerPlugin, cachedGraphQL } from './cache/cached-graphql';
import { ideRoute } from './ide/ide-route';

export interface RunningGateway extends RunningService {
  metrics: LiveMetrics;
}

function fragmentsOf(document: { definitions: readonly { kind: string }[] }): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
}

/**
 * Every request: subscriptions refused over HTTP, and the
 * operation limits (depth, aliases, cost) checked before any subgraph is called.
 */
function guardPlugin(limits: OperationLimits, sizes: () => HierarchySizes): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, contextValue, request }) {
          // No operation to run (the operationName names none, or several are sent without one): the client's mistake, said
          // here; the gateway's executor would otherwise fail on it as an internal error.
          if (!operation)
            throw new GraphQLError(
              request.operationName
                ? `Unknown operation named "${request.operationName}".`
                : 'The document holds several operations: name the one to run in operationName.',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          if (contextValue.live) return;
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError('Subscriptions are served over graphql-ws (WebSocket) at /graphql, not over HTTP.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          checkOperation(schema, operation, fragmentsOf(document), limits, sizes(), request.variables ?? {});
        },
      };
    },
  };
}

/**
 * The live layer's refreshing side: in this thread, on the HTTP server's executor (the
 * default); or, with LIVE_WORKER=on, in a worker thread of its own, where the refreshes run
 * on a gateway executor of their own.
 */
function startLiveEngine(
  config: GatewayConfig,
  apollo: ApolloServer<GatewayContext>,
  publish: Publish,
  metrics: LiveMetrics,
  logger: Logger,
  caches?: Caches,
): Promise<LiveEngine> {
  if (config.LIVE_WORKER === 'on') return WorkerEngine.start(config, publish, logger);
  if (!caches) return startLocalEngine(config, executorOf(apollo), publish, metrics, logger);
  // On the caches' own LISTEN connection, a change the feed has heard has reached the caches too
  // (their listener runs first): a refresh for it waits for nothing more. Over NATS, the feed
  // hears changes on another path, so every refresh waits for everything committed.
  const shared = config.LIVE_TRANSPORT === 'postgres';
  const settle = (fresh: boolean) => (fresh || !shared ? caches.invalidation.settled() : caches.invalidation.heard());
  return startLocalEngine(config, executorOf(apollo, settle), publish, metrics, logger, shared ? caches.notices : undefined);
}

/**
 * Starts the gateway on the committed supergraph: it authenticates each caller, plans each
 * query over the subgraphs with the caller's signed identity, and serves live subscriptions
 * over graphql-ws, refreshed from the outbox's change events.
 */
export async function start(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  // The caches hear every committed change on a LISTEN connection of their own.
  const caches = config.ANSWER_CACHE === 'on' && config.DATABASE_URL ? startCaches(config, config.DATABASE_URL, logger) : undefined;
  const { gateway, subgraphUrls } = federatedGateway(config, logger, caches?.fetches);
  const limits: OperationLimits = { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_COST };
  // API keys (the NATS change feed reads the unit hierarchy on a small pool of its own, see live-engine.ts).
  const keys = config.DATABASE_URL ? new Pool({ connectionString: config.DATABASE_URL, max: 4, application_name: 'gateway' }) : undefined;
  keys?.on('error', (err) => logger.warn({ err: err.message }, 'an idle database connection failed; the next query opens another'));
  if (keys) await ensureApiKeyTable(keys);
  const forgetPools = observePools('gateway', () => ({ keys }));
  // The cost guard's list sizes: the hierarchy's real counts, read again when a new hierarchy is announced.
  const hierarchy = keys ? new HierarchySource((text) => keys.query(text), logger) : undefined;
  await hierarchy?.start();
  caches?.notices.on('notice', (notice: ChangeNotice) => notice.schema === EVERYTHING && void hierarchy?.refresh());
  caches?.notices.on('connected', () => void hierarchy?.refresh()); // announcements may have been missed meanwhile
  const sizes = () => hierarchy?.sizes ?? STATIC_SIZES;
  // Revoked token ids, read again every couple of seconds; without a database, tokens cannot be revoked.
  const revocations = keys ? new RevocationList(keys, logger) : undefined;
  await revocations?.start();
  if (!revocations && config.SECURE === 'true') logger.warn('SECURE=true without DATABASE_URL: bearer tokens cannot be revoked.');
  const auth: AuthOptions = {
    verifier: new JwtVerifier({
      secret: config.AUTH_JWT_SECRET,
      jwks: config.AUTH_JWKS,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      clockSkew: config.AUTH_CLOCK_SKEW_S,
      maxTtl: config.AUTH_MAX_TTL,
    }),
    keys: keys && new KeyIdentities(keys),
    revoked: revocations,
    anonymousRole: config.AUTH_ANONYMOUS === 'ministry' ? 'ministry' : undefined,
  };
  if (auth.anonymousRole) logger.warn('AUTH_ANONYMOUS=ministry: callers without credentials read everything. For a local demo only.');
  const requestLimits = new RequestLimits(config.RATE_LIMIT_PER_MINUTE, config.RATE_LIMIT_GLOBAL_PER_MINUTE);
  const failures = new AuthFailureLimiter({ failures: config.AUTH_FAILURES_PER_WINDOW, windowMs: config.AUTH_FAILURE_WINDOW_S * 1000 });
  const addresses = new ClientAddresses(config.TRUSTED_PROXIES);
  // Brackets a document may nest before it is parsed: room for MAX_DEPTH fields and their arguments' objects and lists.
  const maxNesting = Math.max(DEFAULT_MAX_NESTING, config.MAX_DEPTH * 2);
  const persisted = config.PERSISTED_OPERATIONS_FILE ? new PersistedOperations(config.PERSISTED_OPERATIONS_FILE) : undefined;
  const metrics = new LiveMetrics();
  await caches?.notices.start();
  const context = async (req: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const address = addresses.of(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    const { identity, principal } = await authenticateCaller(auth, failures, credentialOf(req.headers as Record<string, unknown>), address);
    requestLimits.take(principal);
    return { requestId, identity };
  };
  // Set once the HTTP server listens; a failed start drains before that, so not a const.
  // eslint-disable-next-line prefer-const
  let live: { dispose(): Promise<void> } | undefined;
  let engine: LiveEngine | undefined;
  // The dashboard's files, read once: a page for people on the same port as the API it calls.
  const dashboardFiles = loadDashboardFiles();
  if (!dashboardFiles) logger.warn('The dashboard is not built (dashboard/dist): /dashboard answers 404 until `npm run build`.');
  const dashboard = dashboardRoute(dashboardFiles);
  // GraphiQL for integrators: it reads the schema by introspection, so it goes where introspection goes.
  const ide = ideRoute(config.INTROSPECTION === 'true');
  const fanout = new LiveFanout({ watch: (spec) => engine?.watch(spec), unwatch: (key) => engine?.unwatch(key) }, metrics);

  // Exports run their query as the request's caller, through the server once it has started.
  const started: { apollo?: ApolloServer<GatewayContext> } = {};
  const exports = exportRoute(async (req, query, variables) => {
    const apollo = started.apollo;
    if (!apollo) throw new Error('the gateway has not started');
    const contextValue = await context(req, requestIdFrom(req.headers));
    const response = await apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('an export query answered incrementally');
    return { data: response.body.singleResult.data, errors: response.body.singleResult.errors as never };
  }, logger);

  const running = await startService<GatewayContext>({
    name: 'gateway',
    host: config.HOST,
    port: config.PORT,
    logger,
    gateway,
    introspection: config.INTROSPECTION === 'true',
    metricsToken: config.METRICS_TOKEN,
    parseOptions: { maxTokens: config.MAX_TOKENS },
    maxNesting,
    rewriteBody: persisted ? (body) => persisted.resolve(body) : undefined,
    context,
    graphqlHandler: (apollo) =>
      cachedGraphQL({
        apollo,
        cache: caches?.answers,
        context,
        rewriteBody: persisted ? (body) => persisted.resolve(body) : undefined,
        maxNesting,
        afterMutation: caches && ((changes) => caches.invalidation.afterWrites(changes)),
      }),
    ready: () => allReady(subgraphUrls),
    plugins: [
      guardPlugin(limits, sizes),
      answerPlugin(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await live?.dispose();
              fanout.close();
              await engine?.stop();
              caches?.invalidation.stop();
              await caches?.notices.stop();
              revocations?.stop();
              hierarchy?.stop();
              await keys?.end();
              forgetPools();
            },
          };
        },
      },
    ],
    cors: corsPolicy(parseOrigins(config.CORS_ORIGINS)),
    extraRoute: (req, res) => exports(req, res) || dashboard(req, res) || ide(req, res),
    metrics: async () =>
      metrics.render(
        await engine?.metrics(),
        caches?.answers.stats,
        caches?.fetches.stats,
        caches && { byName: caches.invalidation.settledByName, barriers: caches.notices.barriersSent },
      ),
  });

  started.apollo = running.apollo as unknown as ApolloServer<GatewayContext>;
  try {
    engine = await startLiveEngine(
      config,
      running.apollo as unknown as ApolloServer<GatewayContext>,
      (key, value) => fanout.publish(key, value),
      metrics,
      logger,
      caches,
    );
  } catch (err) {
    await running.stop(); // nothing left listening or connected behind a failed start
    throw err;
  }
  live = attachLiveServer({
    httpServer: running.httpServer,
    schema: () => gateway.schema,
    fanout,
    metrics,
    logger,
    authenticate: (params, request) =>
      authenticateCaller(
        auth,
        failures,
        credentialOf(params as Record<string, unknown> | undefined),
        addresses.of(request.socket.remoteAddress, request.headers['x-forwarded-for']),
      ),
    caps: new SubscriptionCaps(config.LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION, config.LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL),
    parseLimits: { maxTokens: config.MAX_TOKENS, maxNesting },
    revocations,
    authorize: async (_identity, document, variables) => {
      const operation = getOperationAST(document);
      try {
        if (operation && gateway.schema) checkOperation(gateway.schema, operation, fragmentsOf(document), limits, sizes(), variables);
        return null;
      } catch (err) {
        return [err as GraphQLError];
      }
    },
  });
  return { ...running, metrics };
}
