import { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import { apolloLogger, errorReportingPlugin, makeFormatError } from '@thads/kit';
import type { GatewayConfig } from '../config';
import type { GatewayContext } from '../context';
import { federatedGateway } from '../federated-gateway';
import type { Execute } from './live-registry';

let counter = 0;

/**
 * Resolves once the fetch cache has applied every change committed so far (`fresh`), or every
 * change the live layer has heard of (otherwise).
 */
export type Settle = (fresh: boolean) => Promise<void>;

/**
 * The live layer's refresh queries, run on an Apollo Server (the HTTP server's, or the live
 * worker's own) as the given identity. With `settle` (the HTTP server's fetch cache), a
 * refresh reads the subgraph fetches no change has touched from the cache: only the changed
 * units are read again.
 */
export function executorOf(apollo: ApolloServer<GatewayContext>, settle?: Settle): Execute {
  return async (query, variables, identity, fresh) => {
    await settle?.(fresh);
    // The live layer's own operation: the subscription it refreshes passed the limits when it subscribed.
    const response = await apollo.executeOperation(
      { query, variables },
      { contextValue: { requestId: `live-${++counter}`, identity, live: true, cachesSettled: settle !== undefined } },
    );
    return response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported in a live query.' }] };
  };
}

/**
 * The gateway's executor for the live worker thread: the same supergraph, subgraphs and
 * error shaping as the HTTP server's, on an Apollo Server that only runs refresh queries.
 */
export async function startRefreshExecutor(config: GatewayConfig, logger: Logger): Promise<{ execute: Execute; stop(): Promise<void> }> {
  const { gateway } = federatedGateway(config, logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: makeFormatError(),
    plugins: [errorReportingPlugin(logger)],
    logger: apolloLogger(logger),
  });
  await apollo.start();
  return { execute: executorOf(apollo), stop: () => apollo.stop() };
}
