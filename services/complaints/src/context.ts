import type { DataSource } from 'typeorm';
import { serviceContext, rowsByIdLoader, type ServiceContext } from '@thads/kit';
import { Petition } from './petitions/petition.entity';

/** The service's own loaders; the complaint report's are the kit's (report/report-loaders.ts). */
function createLoaders(db: DataSource) {
  return {
    petitionById: rowsByIdLoader(db, Petition, 'id', (p) => p.id),
  };
}

export type Context = ServiceContext<ReturnType<typeof createLoaders>>;

export const createContext = serviceContext(createLoaders);
