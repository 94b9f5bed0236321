import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { importFolderOf, type Access, type ImportFolder, type ServiceConfig } from '@thads/kit';
import { CaseMoney } from './money/case-money.entity';

export interface Context {
  requestId: string;
  db: DataSource;
  access: Access;
  /** The folder the import mutations read, and the largest file they take. */
  importFolder: ImportFolder;
  loaders: ReturnType<typeof createLoaders>;
}

/** The service's own loaders; the money report's are the kit's (report/report-loaders.ts). */
function createLoaders(db: DataSource) {
  return {
    moneyByCase: new DataLoader<string, CaseMoney | null>(async (ids) => {
      const rows = await db.getRepository(CaseMoney).createQueryBuilder('m').where('m.case_id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((m) => [String(m.caseId), m]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(db: DataSource, requestId: string, config: Pick<ServiceConfig, 'IMPORT_DIR' | 'IMPORT_MAX_BYTES'>, access: Access): Context {
  return {
    requestId,
    db,
    access,
    importFolder: importFolderOf(config),
    loaders: createLoaders(db),
  };
}
