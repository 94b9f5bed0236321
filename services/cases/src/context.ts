import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRollupLoader } from '@thads/kit';
import { EnforcementCase } from './cases/case.entity';
import { CASE_BUCKETS, CASE_ROLLUP } from './stats/case-rollup';

export interface Context {
  requestId: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(db: DataSource) {
  return {
    caseRollup: createRollupLoader(db, CASE_ROLLUP, CASE_BUCKETS),
    caseById: new DataLoader<string, EnforcementCase | null>(async (ids) => {
      const rows = await db.getRepository(EnforcementCase).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((c) => [String(c.id), c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string): Context {
  return { requestId, loaders: createLoaders(db) };
}
