import { createLogger, migrate, startService, type RunningService, type ServiceConfig } from '@thads/kit';
import { createContext } from './context';
import { orgUnitsDataSource } from './data-source';
import { buildOrgUnitsSchema } from './schema';

export const DEFAULT_PORT = 4001;

/** Starts the org-units subgraph: migrates its schema, then serves. */
export async function start(config: ServiceConfig): Promise<RunningService> {
  const logger = createLogger('org-units', config.LOG_LEVEL);
  const db = orgUnitsDataSource(config.DATABASE_URL, config.DB_POOL_SIZE);
  await db.initialize();
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  return startService({
    name: 'org-units',
    host: config.HOST,
    port: config.PORT,
    logger,
    schema: await buildOrgUnitsSchema(),
    context: async (_req, requestId) => createContext(db, requestId),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    onStop: () => db.destroy(),
  });
}
