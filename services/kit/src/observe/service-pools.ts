import type { DataSource } from 'typeorm';
import { openReadPool } from '../db/read-pool';
import { observePools, type ObservedPool } from './pools';

/** A subgraph's pools: TypeORM's (writes, lookups) and the report reads' own (db/read-pool.ts). */
export function observeServicePools(service: string, db: DataSource): () => void {
  return observePools(service, () => ({
    main: (db.driver as unknown as { master?: ObservedPool }).master,
    reads: openReadPool(db),
  }));
}
