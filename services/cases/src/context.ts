import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRankingLoader, createRollupLoader, createTargetLoader, type Access, type ServiceConfig } from '@thads/kit';
import { EnforcementCase } from './cases/case.entity';
import { ADMIN_ROLLUP } from './admin/admin-rollup';
import { caseMetric, type CaseRankingMetric } from './stats/case-ranking';
import { CASE_BUCKETS, CASE_ROLLUP, caseFigures } from './stats/case-rollup';

export interface Context {
  requestId: string;
  db: DataSource;
  access: Access;
  importDir: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(db: DataSource) {
  return {
    caseRollup: createRollupLoader(db, CASE_ROLLUP, CASE_BUCKETS),
    /** Totals only (bucket 0): a quarter of the rows, for selections without byCategory. */
    caseTotals: createRollupLoader(db, CASE_ROLLUP, [0]),
    adminRollup: createRollupLoader(db, ADMIN_ROLLUP),
    caseRanking: createRankingLoader<CaseRankingMetric, ReturnType<typeof caseFigures>>(db, CASE_ROLLUP, [0], (rows) => caseFigures(rows.get(0)!), caseMetric),
    targets: createTargetLoader(db),
    caseById: new DataLoader<string, EnforcementCase | null>(async (ids) => {
      const rows = await db.getRepository(EnforcementCase).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((c) => [String(c.id), c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string, config: Pick<ServiceConfig, 'IMPORT_DIR'>, access: Access): Context {
  return { requestId, db, access, importDir: config.IMPORT_DIR, loaders: createLoaders(db) };
}
