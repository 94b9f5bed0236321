import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { Logger } from 'pino';
import { apolloLogger, installScalarChecks, observedFetcher } from '@thads/kit';
import { subgraphUrlOverrides, type GatewayConfig } from './config';
import { LiveGateway } from './live/live-gateway';
import type { FetchCache } from './cache/fetch-cache';
import { subgraphFetcher } from './subgraph-fetcher';
import { SubgraphSource } from './subgraph-source';
import { subgraphsOf } from './subgraphs';

/**
 * The committed supergraph planned over the subgraphs (URLs as configured), each call
 * carrying the caller's signed identity, with the Subscription type of the live layer
 * added to its API schema. The HTTP server (with its fetch cache) and the live worker thread
 * each build one.
 */
export function federatedGateway(config: GatewayConfig, logger: Logger, fetchCache?: FetchCache): { gateway: LiveGateway; subgraphUrls: string[] } {
  const overrides = subgraphUrlOverrides(config);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  const fetcher = subgraphFetcher();
  const inner = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphSource({ url: overrides[name] ?? url ?? '', fetcher: observedFetcher(fetcher, name) }, config.IDENTITY_SECRET, name, fetchCache),
    logger: apolloLogger(logger),
  });
  return {
    gateway: new LiveGateway(inner, installScalarChecks),
    subgraphUrls: subgraphsOf(supergraphSdl).map(({ name, url }) => overrides[name] ?? url),
  };
}
