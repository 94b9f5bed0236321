import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRankingLoader, createRollupLoader, createTargetLoader, type Access, type ServiceConfig } from '@thads/kit';
import { CaseMoney } from './money/case-money.entity';
import { moneyMetric, type MoneyRankingFigures, type MoneyRankingMetric } from './stats/money-ranking';
import { MONEY_BUCKETS, MONEY_ROLLUP, moneyFigures } from './stats/money-rollup';

export interface Context {
  requestId: string;
  db: DataSource;
  access: Access;
  importDir: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(db: DataSource) {
  return {
    moneyRollup: createRollupLoader(db, MONEY_ROLLUP, MONEY_BUCKETS),
    /** Totals only (bucket 0), for selections without byCategory or stateBudgetCollected. */
    moneyTotals: createRollupLoader(db, MONEY_ROLLUP, [0]),
    moneyRanking: createRankingLoader<MoneyRankingMetric, MoneyRankingFigures>(db, MONEY_ROLLUP, [0, 1], (rows) => ({ totals: moneyFigures(rows.get(0)!), stateBudgetCollected: rows.get(1)!.collected! }), moneyMetric),
    targets: createTargetLoader(db),
    moneyByCase: new DataLoader<string, CaseMoney | null>(async (ids) => {
      const rows = await db.getRepository(CaseMoney).createQueryBuilder('m').where('m.case_id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((m) => [String(m.caseId), m]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string, config: Pick<ServiceConfig, 'IMPORT_DIR'>, access: Access): Context {
  return { requestId, db, access, importDir: config.IMPORT_DIR, loaders: createLoaders(db) };
}
