import { startSubgraph, type RunningSubgraph, type ServiceConfig } from '@thads/kit';
import { createContext } from './context';
import { CASE_ROLLUPS } from './stats/case-report';
import { casesDataSource } from './data-source';
import { buildCasesSchema } from './schema';

export const DEFAULT_PORT = 4002;

/** Starts the cases subgraph: migrates its schema, then serves. */
export function start(config: ServiceConfig): Promise<RunningSubgraph> {
  return startSubgraph({
    name: 'cases',
    config,
    dataSource: casesDataSource(config.DATABASE_URL, config.DB_POOL_SIZE),
    schema: buildCasesSchema,
    context: createContext,
    rollups: CASE_ROLLUPS,
    outbox: 'cases',
  });
}
