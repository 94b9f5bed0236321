import { moneyMaxPerEvent, startSubgraph, type RunningSubgraph, type ServiceConfig } from '@thads/kit';
import { createContext } from './context';
import { MONEY_ROLLUP } from './stats/money-report';
import { financesDataSource } from './data-source';
import { buildFinancesSchema } from './schema';

export const DEFAULT_PORT = 4003;

/** Starts the finances subgraph: migrates its schema, then serves. */
export function start(config: ServiceConfig): Promise<RunningSubgraph> {
  moneyMaxPerEvent(); // a bad MONEY_MAX_PER_EVENT_VND stops the start, not the first write
  return startSubgraph({
    name: 'finances',
    config,
    dataSource: financesDataSource(config.DATABASE_URL, config.DB_POOL_SIZE),
    schema: buildFinancesSchema,
    context: createContext,
    rollups: [MONEY_ROLLUP],
    outbox: 'finances',
  });
}
