import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRankingLoader, createRollupLoader, type Access, type ServiceConfig } from '@thads/kit';
import { Petition } from './petitions/petition.entity';
import { complaintMetric, type ComplaintRankingMetric } from './stats/complaint-ranking';
import { COMPLAINT_BUCKETS, COMPLAINT_ROLLUP, petitionFigures } from './stats/complaint-rollup';

export interface Context {
  requestId: string;
  db: DataSource;
  access: Access;
  importDir: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(db: DataSource) {
  return {
    complaintRollup: createRollupLoader(db, COMPLAINT_ROLLUP, COMPLAINT_BUCKETS),
    /** Totals only (bucket 0), for selections without byKind. */
    complaintTotals: createRollupLoader(db, COMPLAINT_ROLLUP, [0]),
    complaintRanking: createRankingLoader<ComplaintRankingMetric, ReturnType<typeof petitionFigures>>(db, COMPLAINT_ROLLUP, [0], (rows) => petitionFigures(rows.get(0)!), complaintMetric),
    petitionById: new DataLoader<string, Petition | null>(async (ids) => {
      const rows = await db.getRepository(Petition).createQueryBuilder('p').where('p.id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((p) => [String(p.id), p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string, config: Pick<ServiceConfig, 'IMPORT_DIR'>, access: Access): Context {
  return { requestId, db, access, importDir: config.IMPORT_DIR, loaders: createLoaders(db) };
}
