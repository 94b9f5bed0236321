import DataLoader from 'dataloader';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Access } from '../auth/access';
import type { ServiceConfig } from '../config/env';
import { importFolderOf, type ImportFolder } from '../write/import-folder';

/**
 * The per-request context of a reporting service (cases, finances, complaints): the request's
 * id, the database, the caller's access, the folder its import mutations read, and the
 * service's own loaders (a report's loaders are the kit's, report/report-loaders.ts).
 */
export interface ServiceContext<TLoaders> {
  requestId: string;
  db: DataSource;
  access: Access;
  /** The folder the import mutations read, and the largest file they take. */
  importFolder: ImportFolder;
  loaders: TLoaders;
}

/** The context factory a reporting service gives `startSubgraph`: one fresh set of its loaders a request. */
export function serviceContext<TLoaders>(
  createLoaders: (db: DataSource) => TLoaders,
): (db: DataSource, requestId: string, config: Pick<ServiceConfig, 'IMPORT_DIR' | 'IMPORT_MAX_BYTES'>, access: Access) => ServiceContext<TLoaders> {
  return (db, requestId, config, access) => ({ requestId, db, access, importFolder: importFolderOf(config), loaders: createLoaders(db) });
}

/**
 * Rows of an entity by their id (ids as the API carries them: decimal strings), one query a
 * batch; an unknown id loads as null. `column` is the id's SQL column, `idOf` reads it back
 * from a loaded row.
 */
export function rowsByIdLoader<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: string,
  idOf: (row: T) => unknown,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await db.getRepository(entity).createQueryBuilder('e').where(`e.${column} = ANY(:ids)`, { ids }).getMany();
    const byId = new Map(rows.map((row) => [String(idOf(row)), row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
