import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningService, RunningSubgraph } from '@thads/kit';
import * as cases from '@thads/cases';
import * as complaints from '@thads/complaints';
import * as finances from '@thads/finances';
import * as orgUnits from '@thads/org-units';
import { start as startGateway, type GatewayConfig } from '@thads/gateway';
import { ROOT } from './pg-server';
import { migrated } from './seeded-db';
import { TEST_IDENTITY_SECRET, TEST_JWT_SECRET } from './auth';

/** The gateway's access settings in tests: tokens signed with the test secret, nobody anonymous. */
export const TEST_GATEWAY_AUTH = {
  IDENTITY_SECRET: TEST_IDENTITY_SECRET,
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  AUTH_JWKS: undefined,
  AUTH_ISSUER: undefined,
  AUTH_AUDIENCE: undefined,
  AUTH_CLOCK_SKEW_S: 60,
  AUTH_MAX_TTL: 86400,
  SECURE: 'false' as const,
  AUTH_ANONYMOUS: 'none' as const,
  MAX_DEPTH: 12,
  MAX_ALIASES: 30,
  MAX_COST: 200000,
  MAX_TOKENS: 5000,
  RATE_LIMIT_PER_MINUTE: 0,
  RATE_LIMIT_GLOBAL_PER_MINUTE: 0,
  AUTH_FAILURES_PER_WINDOW: 0,
  AUTH_FAILURE_WINDOW_S: 60,
  TRUSTED_PROXIES: undefined,
  LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: 0,
  LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: 0,
  CORS_ORIGINS: undefined,
  PERSISTED_OPERATIONS_FILE: undefined,
  METRICS_TOKEN: undefined,
  INTROSPECTION: 'true' as const,
  ANSWER_CACHE: 'on' as const,
  ANSWER_CACHE_MB: 64,
};

export interface InProcessHub {
  url: string;
  importDir: string;
  /** The subgraphs' settings (PORT 0: each took a free port), to start one again. */
  subgraphConfig: Record<string, unknown>;
  subgraphs: RunningSubgraph[];
  gateway: RunningService;
  stop(): Promise<void>;
}

/** Migrates every schema of a test database. */
export async function migrateAll(url: string): Promise<void> {
  for (const make of [orgUnits.orgUnitsDataSource, cases.casesDataSource, finances.financesDataSource, complaints.complaintsDataSource]) {
    await (await migrated(make(url, 1))).destroy();
  }
}

/** The four subgraphs and the gateway in this process, each on a real HTTP port of its own. */
/** One more gateway on running subgraphs, with settings of its own (tokens, limits). */
export async function startExtraGateway(hub: InProcessHub, databaseUrl: string, settings: Partial<GatewayConfig>) {
  const [ou, cs, fi, co] = hub.subgraphs.map((s) => s.url);
  return startGateway({
    PORT: 0,
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: join(ROOT, 'schema', 'supergraph.graphql'),
    ORG_UNITS_URL: ou,
    CASES_URL: cs,
    FINANCES_URL: fi,
    COMPLAINTS_URL: co,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    LIVE_TRANSPORT: 'none',
    LIVE_WINDOW_MS: 50,
    LIVE_BATCH_SLACK_MS: 0,
    LIVE_WORKER: 'off',
    ...TEST_GATEWAY_AUTH,
    ...settings,
  });
}

/** How changes reach the gateway: PostgreSQL NOTIFY (default), or the outbox relays to a NATS JetStream stream of this name. */
export type LiveOption = { transport: 'postgres' } | { transport: 'nats'; natsUrl: string; stream: string };

/**
 * The four subgraphs and a gateway in this process. `subgraphDatabaseUrl` gives the subgraphs
 * another way to the same database (a proxy a fault test can cut); the gateway keeps `databaseUrl`.
 */
export async function startInProcessHub(
  databaseUrl: string,
  live: LiveOption = { transport: 'postgres' },
  subgraphDatabaseUrl = databaseUrl,
): Promise<InProcessHub> {
  const importDir = mkdtempSync(join(tmpdir(), 'thads-import-'));
  const nats = live.transport === 'nats' ? { NATS_URL: live.natsUrl, NATS_STREAM: live.stream } : {};
  const config = {
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: subgraphDatabaseUrl,
    LOG_LEVEL: 'warn' as const,
    DB_POOL_SIZE: 6,
    IMPORT_DIR: importDir,
    IDENTITY_SECRET: TEST_IDENTITY_SECRET,
    OUTBOX_RELAY: live.transport === 'nats' ? ('nats' as const) : ('none' as const),
    ...nats,
  };
  const subgraphs = [await orgUnits.start(config), await cases.start(config), await finances.start(config), await complaints.start(config)];
  const [ou, cs, fi, co] = subgraphs.map((s) => s.url);
  const gateway = await startGateway({
    PORT: 0,
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: join(ROOT, 'schema', 'supergraph.graphql'),
    ORG_UNITS_URL: ou,
    CASES_URL: cs,
    FINANCES_URL: fi,
    COMPLAINTS_URL: co,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    LIVE_TRANSPORT: live.transport,
    LIVE_WINDOW_MS: 50,
    LIVE_BATCH_SLACK_MS: 0,
    LIVE_WORKER: 'off',
    ...TEST_GATEWAY_AUTH,
    ...nats,
  });
  return {
    url: gateway.url,
    importDir,
    subgraphConfig: config,
    subgraphs,
    gateway,
    stop: async () => {
      await gateway.stop();
      for (const s of subgraphs) await s.stop();
    },
  };
}
