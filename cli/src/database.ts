import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '@thads/kit';
import { embeddedDatabasePassword } from './secrets';
import { PROJECT_ROOT } from './services';

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** Port of the embedded PostgreSQL: not 5432, which a system server may hold. */
export const EMBEDDED_PORT_DEFAULT = 54329;

/**
 * The database to use: `DATABASE_URL` when set, else an embedded PostgreSQL whose data
 * folder (`.data/postgres` by default) survives restarts and whose superuser password is the
 * one kept in .data/secrets.json (or EMBEDDED_PG_PASSWORD). The URL carries that password:
 * print it through maskDatabaseUrl only.
 */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<Database> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  const port = Number(env.EMBEDDED_PG_PORT ?? EMBEDDED_PORT_DEFAULT);
  const dataDir = resolve(env.EMBEDDED_PG_DIR ?? resolve(PROJECT_ROOT, '.data', 'postgres'));
  log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  let starting = true;
  // Only what goes wrong while starting is worth a person's eye; shutdown chatter is not.
  const password = embeddedDatabasePassword(env);
  const db = await startEmbeddedPostgres({
    dataDir,
    port,
    password,
    onLog: (line) => starting && /error|fatal/i.test(line) && log(line),
    onNotice: log,
  });
  starting = false;
  return { url: db.url, embedded: true, stop: db.stop };
}
