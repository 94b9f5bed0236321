import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { createLogger, installScalarChecks, startService, type RunningService } from '@thads/kit';
import { ANONYMOUS, openAccess } from './auth/identity';
import { subgraphUrlOverrides, type GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { PgChangeFeed, type ChangeFeed } from './live/change-feed';
import { LiveGateway } from './live/live-gateway';
import { LiveRegistry } from './live/live-registry';
import { LiveMetrics } from './live/metrics';
import { attachLiveServer } from './live/ws-server';
import { SubgraphSource } from './subgraph-source';
import { allReady, subgraphsOf } from './subgraphs';

export interface RunningGateway extends RunningService {
  metrics: LiveMetrics;
}

/** Subscriptions are served over graphql-ws only; over HTTP they get a clear error. */
const subscriptionsOverWebSocketOnly: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
          throw new GraphQLError('Subscriptions are served over graphql-ws (WebSocket) at /graphql, not over HTTP.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      },
    };
  },
};

/**
 * Starts the gateway on the committed supergraph: it plans each query over the subgraphs,
 * carries the request id to them, and serves live subscriptions over graphql-ws, refreshed
 * from the outbox's change events.
 */
export async function start(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const overrides = subgraphUrlOverrides(config);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  const subgraphUrls = subgraphsOf(supergraphSdl).map(({ name, url }) => overrides[name] ?? url);
  const inner = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphSource({ url: overrides[name] ?? url }),
    logger: {
      debug: (m: unknown) => logger.debug(String(m)),
      info: (m: unknown) => logger.info(String(m)),
      warn: (m: unknown) => logger.warn(String(m)),
      error: (m: unknown) => logger.error(String(m)),
    },
  });
  const gateway = new LiveGateway(inner, installScalarChecks);
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
    context: async (_req, requestId) => ({ requestId, identity: ANONYMOUS }),
    ready: () => allReady(subgraphUrls),
    plugins: [
      subscriptionsOverWebSocketOnly,
      { async serverWillStart() { return { async drainServer() { await live?.dispose(); registry?.close(); await feed?.stop(); } }; } },
    ],
    extraRoute: (req, res) => {
      if (req.url !== '/metrics') return false;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
      return true;
    },
  });

  registry = new LiveRegistry(
    async (query, variables) => {
      const response = await running.apollo.executeOperation({ query, variables }, { contextValue: { requestId: `live-${++counter}`, identity: ANONYMOUS } });
      return response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported in a live query.' }] };
    },
    config.LIVE_WINDOW_MS,
    metrics,
    logger,
  );
  if (config.LIVE_TRANSPORT === 'postgres' && config.DATABASE_URL) {
    feed = new PgChangeFeed(config.DATABASE_URL, logger);
    feed.on('change', (change) => registry!.onChange(change));
    await feed.start();
  } else {
    logger.warn('no change feed (DATABASE_URL unset or LIVE_TRANSPORT=none): subscriptions get their first value only');
  }
  live = attachLiveServer({ httpServer: running.httpServer, schema: () => gateway.schema, registry, ...openAccess, metrics, logger });
  return { ...running, metrics };
}
