import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { createLogger, installScalarChecks, startService, type RunningService } from '@thads/kit';
import { subgraphUrlOverrides, type GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { SubgraphSource } from './subgraph-source';
import { allReady, subgraphsOf } from './subgraphs';

/**
 * Starts the gateway on the committed supergraph: it plans each query over the subgraphs
 * and carries the request id to them.
 */
export async function start(config: GatewayConfig): Promise<RunningService> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const overrides = subgraphUrlOverrides(config);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  const subgraphUrls = subgraphsOf(supergraphSdl).map(({ name, url }) => overrides[name] ?? url);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphSource({ url: overrides[name] ?? url }),
    logger: {
      debug: (m: unknown) => logger.debug(String(m)),
      info: (m: unknown) => logger.info(String(m)),
      warn: (m: unknown) => logger.warn(String(m)),
      error: (m: unknown) => logger.error(String(m)),
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => installScalarChecks(apiSchema));
  return startService<GatewayContext>({
    name: 'gateway',
    host: config.HOST,
    port: config.PORT,
    logger,
    gateway,
    context: async (_req, requestId) => ({ requestId }),
    ready: () => allReady(subgraphUrls),
  });
}
