import { Pool } from 'pg';
import type { Logger } from 'pino';
import { ChangeStream, DEFAULT_NATS_URL } from '@thads/kit';
import type { PgNotices } from '../changes/pg-notices';
import type { GatewayConfig } from '../config';
import { PgChangeFeed, type ChangeFeed } from './change-feed';
import type { LiveSource } from './live-fanout';
import { LiveRegistry, type Execute, type Publish } from './live-registry';
import type { LiveMetrics, LiveMetricsSnapshot } from './metrics';
import { NatsChangeFeed } from './nats-change-feed';
import { UnitAncestry } from './unit-ancestry';

/** The refreshing side of the live layer (change feed and registry), in this thread or in the live worker's. */
export interface LiveEngine extends LiveSource {
  /** What the live worker thread measured; undefined when the engine counts in this thread's metrics. */
  metrics(): Promise<LiveMetricsSnapshot | undefined>;
  stop(): Promise<void>;
}

/** The change feed the settings ask for, or none (then subscriptions get their first value only). */
function changeFeedOf(config: GatewayConfig, logger: Logger, notices?: PgNotices): { feed?: ChangeFeed; pool?: Pool } {
  if (config.LIVE_TRANSPORT === 'none' || !config.DATABASE_URL) {
    logger.warn('no change feed (DATABASE_URL unset or LIVE_TRANSPORT=none): subscriptions get their first value only');
    return {};
  }
  if (config.LIVE_TRANSPORT === 'postgres') return { feed: new PgChangeFeed(notices ?? config.DATABASE_URL, logger) };
  // NATS messages name the changed units; the hierarchy above them is read from the database.
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 2, application_name: 'gateway-live' });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'an idle database connection failed; the next query opens another'));
  const ancestry = new UnitAncestry((text, values) => pool.query(text, values));
  ancestry.warm();
  const feed = new NatsChangeFeed(config.NATS_URL ?? DEFAULT_NATS_URL, ancestry, logger, new ChangeStream(config.NATS_STREAM));
  return { feed, pool };
}

/**
 * Starts the refreshing side in this thread: the change feed the settings ask for, whose
 * change events mark the registry's live queries dirty. With `notices` (the caches' LISTEN
 * connection, started by its owner), the PostgreSQL feed listens on it instead of a
 * connection of its own. Fails (leaving nothing connected) when the feed cannot start.
 */
export async function startLocalEngine(
  config: GatewayConfig,
  execute: Execute,
  publish: Publish,
  metrics: LiveMetrics,
  logger: Logger,
  notices?: PgNotices,
): Promise<LiveEngine> {
  const registry = new LiveRegistry(execute, config.LIVE_WINDOW_MS, metrics, logger, publish, config.LIVE_BATCH_SLACK_MS);
  const { feed, pool } = changeFeedOf(config, logger, notices);
  feed?.on('change', (change) => registry.onChange(change));
  try {
    await feed?.start();
  } catch (err) {
    registry.close();
    await pool?.end().catch(() => {});
    throw err;
  }
  return {
    watch: (spec) => registry.watch(spec),
    unwatch: (key) => registry.unwatch(key),
    metrics: async () => undefined,
    stop: async () => {
      registry.close();
      await feed?.stop();
      await pool?.end().catch(() => {});
    },
  };
}
