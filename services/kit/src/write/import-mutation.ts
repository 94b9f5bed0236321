import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import type { Access } from '../auth/access';
import type { ImportResult } from '../graphql/import-result.type';
import type { EventRecord } from './event-file';
import { keptAnswer, onceHashed, requestHash } from './idempotency';
import { FILE_NOT_FOUND, readEventFile, type ImportFolder } from './import-folder';

/** The description of an import mutation's `idempotencyKey` argument. */
export const IMPORT_KEY_DESCRIPTION =
  'A key the client makes once per file it means to import (a UUID). A retry with the same key and the same file (name and content) writes nothing again and returns the first answer, also once the file has been moved out of the import folder; the key with another file, or with the file changed, is refused with IDEMPOTENCY_KEY_REUSED. Without a key, every call imports the file again.';

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
 * transaction, and a retry (a client that lost the answer) gets the first answer, also when
 * the file has left the folder since (an operator moves imported files away); a file changed
 * under the same name is another request.
 */
export async function importEventFile<C>(spec: ImportSpec<C>, caller: ImportCaller, path: string, key?: string | null): Promise<ImportResult> {
  caller.access.assertWriter(); // before the file system: a read-only caller learns nothing of the folder
  const started = Date.now();
  const digest = createHash('sha256');
  // The request's hash: its name's, then its bytes' (so that a kept answer is found by name).
  const named = `${requestHash(spec.operation, { path })}:`;
  let records: EventRecord[];
  try {
    records = await readEventFile(caller.importFolder, path, digest);
  } catch (err) {
    const gone = key != null && err instanceof GraphQLError && err.extensions.reason === FILE_NOT_FOUND;
    const kept = gone
      ? await keptAnswer<ImportResult>(caller.db, spec.schema, caller.access.identity, key, spec.operation, (h) => h.startsWith(named))
      : undefined;
    if (kept) return kept;
    throw err;
  }
  const { commands, skipped } = spec.commandsOf(records);
  const write = async (tx: EntityManager): Promise<ImportResult> => {
    if (commands.length) await spec.apply(tx, commands, caller.access);
    return { applied: commands.length, skipped, milliseconds: Date.now() - started };
  };
  if (key == null) return caller.db.transaction(write);
  const hash = named + digest.digest('hex');
  return caller.db.transaction((tx) => onceHashed(tx, spec.schema, caller.access.identity, key, spec.operation, hash, () => write(tx)));
}
