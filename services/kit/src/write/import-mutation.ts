import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Access } from '../auth/access';
import type { ImportResult } from '../graphql/import-result.type';
import type { EventRecord } from './event-file';
import { once } from './idempotency';
import { readEventFile, type ImportFolder } from './import-folder';

/** The description of an import mutation's `idempotencyKey` argument. */
export const IMPORT_KEY_DESCRIPTION =
  'A key the client makes once per file it means to import (a UUID). A retry with the same key and the same file (name and content) writes nothing again and returns the first answer; the key with another file is refused with IDEMPOTENCY_KEY_REUSED. Without a key, every call imports the file again.';

/** What a service's import mutation is made of: its schema, its name, and how its lines become commands and are written. */
export interface ImportSpec<C> {
  /** The service's schema, whose idempotency table keeps the keys. */
  schema: string;
  /** The mutation's name: a key used for one import mutation is refused for another. */
  operation: string;
  commandsOf(records: EventRecord[]): { commands: C[]; skipped: number };
  apply(tx: EntityManager, commands: C[], access: Access): Promise<unknown>;
}

/** Where and for whom an import runs: a request's database, import folder and caller. */
export interface ImportCaller {
  db: DataSource;
  importFolder: ImportFolder;
  access: Access;
}

/**
 * An import mutation: reads the file from the import folder, turns its lines into the
 * service's commands and writes them in one transaction, all or nothing. With a key, the
 * import happens once: the key, the file's name and a digest of its bytes are kept in the same
 * transaction, and a retry (a client that lost the answer) gets the first answer.
 */
export async function importEventFile<C>(spec: ImportSpec<C>, caller: ImportCaller, path: string, key?: string | null): Promise<ImportResult> {
  caller.access.assertWriter(); // before the file system: a read-only caller learns nothing of the folder
  const started = Date.now();
  const digest = createHash('sha256');
  const { commands, skipped } = spec.commandsOf(await readEventFile(caller.importFolder, path, digest));
  const write = async (tx: EntityManager): Promise<ImportResult> => {
    if (commands.length) await spec.apply(tx, commands, caller.access);
    return { applied: commands.length, skipped, milliseconds: Date.now() - started };
  };
  if (key == null) return caller.db.transaction(write);
  const input = { path, sha256: digest.digest('hex') };
  return caller.db.transaction((tx) => once(tx, spec.schema, caller.access.identity, key, spec.operation, input, () => write(tx)));
}
