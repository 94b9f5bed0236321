import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode, getOperationAST, type FragmentDefinitionNode } from 'graphql';
import { Pool } from 'pg';
import { ChangeStream, DEFAULT_NATS_URL, createLogger, ensureApiKeyTable, installScalarChecks, startService, type RunningService } from '@thads/kit';
import { authenticate, credentialOf, type AuthOptions } from './auth/authenticate';
import { JwtVerifier } from './auth/jwt';
import { subgraphUrlOverrides, type GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { PersistedOperations } from './limits/persisted-operations';
import { checkOperation, type OperationLimits } from './limits/operation-limits';
import { RateLimiter } from './limits/rate-limit';
import { PgChangeFeed, type ChangeFeed } from './live/change-feed';
import { LiveGateway } from './live/live-gateway';
import { LiveRegistry } from './live/live-registry';
import { NatsChangeFeed } from './live/nats-change-feed';
import { UnitAncestry } from './live/unit-ancestry';
import { subgraphFetcher } from './subgraph-fetcher';
import { LiveMetrics } from './live/metrics';
import { attachLiveServer } from './live/ws-server';
import { SubgraphSource } from './subgraph-source';
import { allReady, subgraphsOf } from './subgraphs';

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
function guardPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, contextValue }) {
          if (!operation || contextValue.live) return;
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError('Subscriptions are served over graphql-ws (WebSocket) at /graphql, not over HTTP.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
          }
          checkOperation(schema, operation, fragmentsOf(document), limits);
        },
      };
    },
  };
}

/**
 * Starts the gateway on the committed supergraph: it authenticates each caller, plans each
 * query over the subgraphs with the caller's signed identity, and serves live subscriptions
 * over graphql-ws, refreshed from the outbox's change events.
 */
export async function start(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const overrides = subgraphUrlOverrides(config);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  const subgraphUrls = subgraphsOf(supergraphSdl).map(({ name, url }) => overrides[name] ?? url);
  const fetcher = subgraphFetcher();
  const inner = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphSource({ url: overrides[name] ?? url ?? '', fetcher }, config.IDENTITY_SECRET),
    logger: {
      debug: (m: unknown) => logger.debug(String(m)),
      info: (m: unknown) => logger.info(String(m)),
      warn: (m: unknown) => logger.warn(String(m)),
      error: (m: unknown) => logger.error(String(m)),
    },
  });
  const gateway = new LiveGateway(inner, installScalarChecks);
  const limits: OperationLimits = { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_COST };
  // API keys, and the unit hierarchy behind NATS change events.
  const keys = config.DATABASE_URL ? new Pool({ connectionString: config.DATABASE_URL, max: 4, application_name: 'gateway' }) : undefined;
  keys?.on('error', (err) => logger.warn({ err: err.message }, 'an idle database connection failed; the next query opens another'));
  if (keys) await ensureApiKeyTable(keys);
  const auth: AuthOptions = {
    verifier: new JwtVerifier({ secret: config.AUTH_JWT_SECRET, jwks: config.AUTH_JWKS, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, clockSkew: config.AUTH_CLOCK_SKEW_S }),
    keys,
    anonymousRole: config.AUTH_ANONYMOUS === 'ministry' ? 'ministry' : undefined,
  };
  if (auth.anonymousRole) logger.warn('AUTH_ANONYMOUS=ministry: callers without credentials read everything. For a local demo only.');
  const rateLimiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);
  const persisted = config.PERSISTED_OPERATIONS_FILE ? new PersistedOperations(config.PERSISTED_OPERATIONS_FILE) : undefined;
  const metrics = new LiveMetrics();
  let live: { dispose(): Promise<void> } | undefined;
  let feed: ChangeFeed | undefined;
  let registry: LiveRegistry | undefined;
  let counter = 0;

  const running = await startService<GatewayContext>({
    name: 'gateway',
    host: config.HOST,
    port: config.PORT,
    logger,
    gateway,
    introspection: config.INTROSPECTION === 'true',
    parseOptions: { maxTokens: config.MAX_TOKENS },
    rewriteBody: persisted ? (body) => persisted.resolve(body) : undefined,
    context: async (req, requestId) => {
      const identity = await authenticate(auth, credentialOf(req.headers as Record<string, unknown>));
      rateLimiter.take(identity.subject);
      return { requestId, identity };
    },
    ready: () => allReady(subgraphUrls),
    plugins: [
      guardPlugin(limits),
      { async serverWillStart() { return { async drainServer() { await live?.dispose(); registry?.close(); await feed?.stop(); await keys?.end(); } }; } },
    ],
    extraRoute: (req, res) => {
      if (req.url !== '/metrics') return false;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
      return true;
    },
  });

  registry = new LiveRegistry(
    async (query, variables, identity) => {
      // The live layer's own operation: the subscription it refreshes passed the limits when it subscribed.
      const response = await running.apollo.executeOperation({ query, variables }, { contextValue: { requestId: `live-${++counter}`, identity, live: true } });
      return response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported in a live query.' }] };
    },
    config.LIVE_WINDOW_MS,
    metrics,
    logger,
  );
  if (config.LIVE_TRANSPORT !== 'none' && config.DATABASE_URL) {
    feed = config.LIVE_TRANSPORT === 'nats' ? new NatsChangeFeed(config.NATS_URL ?? DEFAULT_NATS_URL, new UnitAncestry((text, values) => keys!.query(text, values)), logger, new ChangeStream(config.NATS_STREAM)) : new PgChangeFeed(config.DATABASE_URL, logger);
    feed.on('change', (change) => registry!.onChange(change));
    try {
      await feed.start();
    } catch (err) {
      await running.stop(); // nothing left listening or connected behind a failed start
      throw err;
    }
  } else {
    logger.warn('no change feed (DATABASE_URL unset or LIVE_TRANSPORT=none): subscriptions get their first value only');
  }
  live = attachLiveServer({
    httpServer: running.httpServer,
    schema: () => gateway.schema,
    registry,
    metrics,
    logger,
    authenticate: async (params) => authenticate(auth, credentialOf(params as Record<string, unknown> | undefined)).catch(() => null),
    authorize: async (_identity, document) => {
      const operation = getOperationAST(document);
      try {
        if (operation && gateway.schema) checkOperation(gateway.schema, operation, fragmentsOf(document), limits);
        return null;
      } catch (err) {
        return [err as GraphQLError];
      }
    },
  });
  return { ...running, metrics };
}
