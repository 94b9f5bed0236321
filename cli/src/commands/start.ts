import { GATEWAY, SERVICES } from '../services';
import { openDatabase } from '../database';
import { startChild, stopChildren, waitForReady, type Child } from '../processes';
import { migrateAll } from './migrate';
import { isEmpty, seedAll } from './seed';

export interface StartOptions {
  /** Demo cases to seed when the database is empty. */
  cases: number;
  json: boolean;
  gatewayPort: number;
  host: string;
}

export interface RunningHub {
  url: string;
  databaseUrl: string;
  children: Child[];
  stop(): Promise<void>;
}

/**
 * Starts the whole hub: the database (embedded unless DATABASE_URL is set), migrations, the
 * demo data when empty, the four subgraphs and the gateway, each its own process.
 */
export async function startHub(options: StartOptions, log: (line: string) => void): Promise<RunningHub> {
  const db = await openDatabase(process.env, log);
  const children: Child[] = [];
  const stop = async () => {
    await stopChildren(children);
    await db.stop();
  };
  try {
    await migrateAll(db.url, log);
    if (await isEmpty(db.url)) {
      log(`empty database: seeding demo data (${options.cases.toLocaleString('en')} cases; hub seed --cases N for more)`);
      await seedAll(db.url, { cases: options.cases, seed: 'demo' }, log);
    }
    const env = { DATABASE_URL: db.url, HOST: options.host };
    for (const s of SERVICES) children.push(startChild(s.name, s.entry, { ...env, PORT: String(s.port), DB_POOL_SIZE: '8' }, options.json, log));
    await Promise.all(SERVICES.map((s, i) => waitForReady(`http://${options.host}:${s.port}/ready`, children[i]!)));
    const gateway = startChild(GATEWAY.name, GATEWAY.entry, { ...env, PORT: String(options.gatewayPort) }, options.json, log);
    children.push(gateway);
    await waitForReady(`http://${options.host}:${options.gatewayPort}/ready`, gateway);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://${options.host}:${options.gatewayPort}/graphql`, databaseUrl: db.url, children, stop };
}
