import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { ServiceConfig } from '../config/env';
import { migrate } from '../db/data-source';
import { closeReadPool } from '../db/read-pool';
import { observeServicePools } from '../observe/service-pools';
import { setWritePipelining } from '../db/prepared';
import { createLogger } from '../log/logger';
import { startService, type RunningService } from './service-server';
import { Access } from '../auth/access';
import { DEFAULT_IDENTITY_WINDOW_S, IDENTITY_HEADER, verifyIdentity } from '../auth/signed-identity';
import { NonceStore } from '../auth/nonce-store';
import { rawBodyOf } from './graphql-http';
import { NatsOutboxRelay } from '../events/nats-outbox-relay';
import { ChangeStream, DEFAULT_NATS_URL } from '../events/change-stream';
import { keepOpenings } from '../rollup/openings';
import { CHANGES_HEADER } from '../write/outbox';
import type { RollupSpec } from '../rollup/rollup-spec';

export interface SubgraphOptions<TContext extends SubgraphContext> {
  name: string;
  config: ServiceConfig;
  dataSource: DataSource;
  schema: () => Promise<GraphQLSchema>;
  context: (db: DataSource, requestId: string, config: ServiceConfig, access: Access) => TContext;
  /** The schema whose outbox this service writes, published to NATS when OUTBOX_RELAY=nats. */
  outbox?: string;
  /** Month tables whose maintained rollups (and their stock openings) this service keeps current (kit rollup/). */
  rollups?: readonly RollupSpec[];
}

/** What every subgraph's context holds: the caller's access, which also names the notices of its writes. */
export type SubgraphContext = BaseContext & { access: Access };

/**
 * A mutation's answer names the change notices its writes caused (CHANGES_HEADER; empty when
 * it wrote nothing): the gateway answers its caller once it has heard them.
 */
function changeNamesPlugin(): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue, response }) {
          if (operation?.operation === 'mutation') response.http.headers.set(CHANGES_HEADER, contextValue.access.changes.names.join(','));
        },
      };
    },
  };
}

export interface RunningSubgraph extends RunningService {
  dataSource: DataSource;
  relay?: NatsOutboxRelay;
}

/** Starts one subgraph process: connects, applies its migrations, builds its schema, serves. */
export async function startSubgraph<TContext extends SubgraphContext>(options: SubgraphOptions<TContext>): Promise<RunningSubgraph> {
  const { config, dataSource: db } = options;
  const logger = createLogger(options.name, config.LOG_LEVEL);
  setWritePipelining(config.WRITE_PIPELINE !== 'off');
  await db.initialize();
  const forgetPools = observeServicePools(options.name, db);
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const relay =
    config.OUTBOX_RELAY === 'nats' && options.outbox
      ? new NatsOutboxRelay(options.outbox, config.DATABASE_URL, config.NATS_URL ?? DEFAULT_NATS_URL, logger, new ChangeStream(config.NATS_STREAM))
      : undefined;
  await relay?.start();
  const stopOpenings = options.rollups?.length ? keepOpenings(db, options.rollups, logger) : undefined;
  const windowMs = (config.IDENTITY_WINDOW_S ?? DEFAULT_IDENTITY_WINDOW_S) * 1000;
  const nonces = new NonceStore(2 * windowMs);
  const running = await startService({
    name: options.name,
    host: config.HOST,
    port: config.PORT,
    logger,
    schema: await options.schema(),
    context: async (req, requestId) => {
      const header = req.headers[IDENTITY_HEADER];
      // The signature covers this very request (method, target, body, this subgraph) and is good once.
      const request = { method: req.method ?? 'GET', target: req.url ?? '/', body: rawBodyOf(req), audience: options.name };
      const identity = verifyIdentity(Array.isArray(header) ? header[0] : header, request, config.IDENTITY_SECRET, { windowMs, nonces });
      return options.context(db, requestId, config, new Access(db, identity));
    },
    ready: async () => (await db.query('SELECT 1 AS ok')).length === 1,
    plugins: [changeNamesPlugin() as ApolloServerPlugin<TContext>],
    metricsToken: config.METRICS_TOKEN,
    onStop: async () => {
      stopOpenings?.();
      forgetPools();
      await relay?.stop();
      await closeReadPool(db);
      await db.destroy();
    },
  });
  return { ...running, dataSource: db, relay };
}
