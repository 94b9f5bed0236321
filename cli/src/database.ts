import { resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@thads/kit';
import { runningHub } from './running-hub';
import { embeddedDatabasePassword } from './secrets';
import { PROJECT_ROOT } from './services';

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
  /** Starts the embedded PostgreSQL again after it died (a database of its own only). */
  restart?(): Promise<void>;
}

/** Port of the embedded PostgreSQL: not 5432, which a system server may hold. */
export const EMBEDDED_PORT_DEFAULT = 54329;

/**
 * The database to use: `DATABASE_URL` when set; else the database of the hub running from this
 * clone (`hub start` records it), so that a command beside a running hub uses its database;
 * else an embedded PostgreSQL whose data folder (`.data/postgres` by default) survives restarts
 * and whose superuser password is the one kept in .data/secrets.json (or
 * EMBEDDED_PG_PASSWORD). The URL carries that password: print it through maskDatabaseUrl only.
 */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<Database> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  const running = runningHub();
  if (running) {
    log(`using the database of the hub running at ${running.url} (process ${running.pid})`);
    return { url: running.databaseUrl, embedded: false, stop: async () => {} };
  }
  const port = Number(env.EMBEDDED_PG_PORT ?? EMBEDDED_PORT_DEFAULT);
  const dataDir = resolve(env.EMBEDDED_PG_DIR ?? resolve(PROJECT_ROOT, '.data', 'postgres'));
  log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  let starting = true;
  // Only what goes wrong while starting is worth a person's eye; shutdown chatter is not.
  const password = embeddedDatabasePassword(env);
  const start = () =>
    startEmbeddedPostgres({
      dataDir,
      port,
      password,
      onLog: (line) => starting && /error|fatal/i.test(line) && log(line),
      onNotice: log,
    });
  let db = await start();
  starting = false;
  return {
    url: db.url,
    embedded: true,
    stop: () => db.stop(),
    async restart() {
      // What is left of it (its shared memory, its pid file); a stop of a server that was
      // killed may wait for an exit that already happened, so it gets a few seconds only.
      await Promise.race([db.stop().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      starting = true;
      db = await start();
      starting = false;
    },
  };
}

/**
 * The watchdog's question to PostgreSQL, `SELECT 1`, over one connection kept between checks
 * (a check every few seconds does not open one each time): false on a timeout or a failure,
 * after which the connection is dropped and the next check opens another.
 */
export class DatabaseProbe {
  private client?: Client;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 2000,
  ) {}

  async answers(): Promise<boolean> {
    try {
      if (!this.client) {
        const client = new Client({
          connectionString: this.url,
          connectionTimeoutMillis: this.timeoutMs,
          query_timeout: this.timeoutMs,
          application_name: 'hub-watchdog',
        });
        client.on('error', () => {
          if (this.client === client) this.close();
        });
        try {
          await client.connect();
        } catch (err) {
          await client.end().catch(() => {});
          throw err;
        }
        this.client = client;
      }
      await this.client.query('SELECT 1');
      return true;
    } catch {
      this.close();
      return false;
    }
  }

  close(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => {});
  }
}
