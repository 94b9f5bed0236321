import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRollupLoader, importFolderOf, type Access, type ImportFolder, type ServiceConfig } from '@thads/kit';
import { EnforcementCase } from './cases/case.entity';
import { ADMIN_ROLLUP } from './admin/admin-rollup';

export interface Context {
  requestId: string;
  db: DataSource;
  access: Access;
  /** The folder the import mutations read, and the largest file they take. */
  importFolder: ImportFolder;
  loaders: ReturnType<typeof createLoaders>;
}

/** The service's own loaders; the case report's are the kit's (report/report-loaders.ts). */
function createLoaders(db: DataSource) {
  return {
    adminRollup: createRollupLoader(db, ADMIN_ROLLUP),
    caseById: new DataLoader<string, EnforcementCase | null>(async (ids) => {
      const rows = await db.getRepository(EnforcementCase).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
      const byId = new Map(rows.map((c) => [String(c.id), c]));
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
