import type { DataSource } from 'typeorm';
import { serviceContext, rowsByIdLoader, type ServiceContext } from '@thads/kit';
import { CaseMoney } from './money/case-money.entity';

/** The service's own loaders; the money report's are the kit's (report/report-loaders.ts). */
function createLoaders(db: DataSource) {
  return {
    moneyByCase: rowsByIdLoader(db, CaseMoney, 'case_id', (m) => m.caseId),
  };
}

export type Context = ServiceContext<ReturnType<typeof createLoaders>>;

export const createContext = serviceContext(createLoaders);
