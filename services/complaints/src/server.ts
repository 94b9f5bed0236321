import { startSubgraph, type RunningSubgraph, type ServiceConfig } from '@thads/kit';
import { createContext } from './context';
import { COMPLAINT_ROLLUP } from './stats/complaint-report';
import { complaintsDataSource } from './data-source';
import { buildComplaintsSchema } from './schema';

export const DEFAULT_PORT = 4004;

/** Starts the complaints subgraph: migrates its schema, then serves. */
export function start(config: ServiceConfig): Promise<RunningSubgraph> {
  return startSubgraph({
    name: 'complaints',
    config,
    dataSource: complaintsDataSource(config.DATABASE_URL, config.DB_POOL_SIZE),
    schema: buildComplaintsSchema,
    context: createContext,
    rollups: [COMPLAINT_ROLLUP],
    outbox: 'complaints',
  });
}
