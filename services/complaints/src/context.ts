import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRollupLoader } from '@thads/kit';
import { Petition } from './petitions/petition.entity';
import { COMPLAINT_BUCKETS, COMPLAINT_ROLLUP } from './stats/complaint-rollup';

export interface Context {
  requestId: string;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(db: DataSource) {
  return {
    complaintRollup: createRollupLoader(db, COMPLAINT_ROLLUP, COMPLAINT_BUCKETS),
    petitionById: new DataLoader<string, Petition | null>(async (ids) => {
      const rows = await db.getRepository(Petition).createQueryBuilder('p').where('p.id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((p) => [String(p.id), p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string): Context {
  return { requestId, loaders: createLoaders(db) };
}
