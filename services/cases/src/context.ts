import type { DataSource } from 'typeorm';
import { createRollupLoader, serviceContext, rowsByIdLoader, type ServiceContext } from '@thads/kit';
import { EnforcementCase } from './cases/case.entity';
import { ADMIN_ROLLUP } from './admin/admin-rollup';

/** The service's own loaders; the case report's are the kit's (report/report-loaders.ts). */
function createLoaders(db: DataSource) {
  return {
    adminRollup: createRollupLoader(db, ADMIN_ROLLUP),
    caseById: rowsByIdLoader(db, EnforcementCase, 'id', (c) => c.id),
  };
}

export type Context = ServiceContext<ReturnType<typeof createLoaders>>;

export const createContext = serviceContext(createLoaders);
