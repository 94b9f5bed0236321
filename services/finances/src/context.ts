import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRollupLoader } from '@thads/kit';
import { CaseMoney } from './money/case-money.entity';
import { MONEY_BUCKETS, MONEY_ROLLUP } from './stats/money-rollup';

export interface Context {
  requestId: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(db: DataSource) {
  return {
    moneyRollup: createRollupLoader(db, MONEY_ROLLUP, MONEY_BUCKETS),
    moneyByCase: new DataLoader<string, CaseMoney | null>(async (ids) => {
      const rows = await db.getRepository(CaseMoney).createQueryBuilder('m').where('m.case_id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((m) => [String(m.caseId), m]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string): Context {
  return { requestId, loaders: createLoaders(db) };
}
