import { startSubgraph, type RunningSubgraph, type ServiceConfig } from '@thads/kit';
import { createContext } from './context';
import { orgUnitsDataSource } from './data-source';
import { buildOrgUnitsSchema } from './schema';

export const DEFAULT_PORT = 4001;

/** Starts the org-units subgraph: migrates its schema, then serves. */
export function start(config: ServiceConfig): Promise<RunningSubgraph> {
  return startSubgraph({
    name: 'org-units',
    config,
    dataSource: orgUnitsDataSource(config.DATABASE_URL, config.DB_POOL_SIZE),
    schema: buildOrgUnitsSchema,
    context: createContext,
  });
}
