import { join } from 'node:path';
import { todayInVietnam } from '@thads/kit';
import { GATEWAY, PROJECT_ROOT, SERVICES } from '../services';
import { hubSecrets } from '../secrets';
import { tokenClaims } from '../token-claims';
import { assertPortsFree } from '../ports';
import { DatabaseProbe, openDatabase, type Database } from '../database';
import { startChild, stopChildren, waitForReady, type Child } from '../processes';
import { forgetRunningHub, recordRunningHub, runningHub } from '../running-hub';
import { Supervisor, type CrashPolicy } from '../supervisor';
import { migrateAll } from './migrate';
import { isEmpty, seedAll } from './seed';

export interface StartOptions {
  /** Demo cases to seed when the database is empty. */
  cases: number;
  json: boolean;
  /** Gateway port; the subgraphs take the next four (4000 → 4001–4004). */
  gatewayPort: number;
  /** Address the gateway listens on. */
  host: string;
  /**
   * Address the subgraphs listen on: loopback unless set, so that nothing but the gateway on
   * this machine reaches them (a private interface when the gateway runs elsewhere).
   * @default 127.0.0.1
   */
  subgraphHost?: string;
  /**
   * Refuse callers without credentials (else they read as the ministry: local demo), require
   * tokens of the hub's issuer and audience, and serve no introspection unless INTROSPECTION=true.
   */
  secure: boolean;
  /** How changes reach the gateway: PostgreSQL NOTIFY, or the services' outbox relays to NATS JetStream. */
  live?: 'postgres' | 'nats';
}

/** Subgraph i listens on the gateway's port + 1 + i, so that a second hub fits beside the first. */
export function subgraphPort(gatewayPort: number, index: number): number {
  return gatewayPort + 1 + index;
}

export interface RunningHub {
  url: string;
  databaseUrl: string;
  /** The processes as they run now. */
  readonly children: Child[];
  stop(): Promise<void>;
}

/** How often the embedded PostgreSQL is asked whether it answers, and how many misses in a row mean it is down. */
const DATABASE_CHECK_MS = 2000;
const DATABASE_MISSES = 2;

/**
 * Restarts the embedded PostgreSQL when it stops answering (killed, crashed): the services'
 * pools reconnect by themselves once it is back, and /ready says 503 meanwhile. A database of
 * someone else's (DATABASE_URL) is theirs to keep running.
 */
function watchDatabase(db: Database, supervisor: Supervisor, log: (line: string) => void): () => void {
  if (!db.restart) return () => {};
  const probe = new DatabaseProbe(db.url);
  let misses = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void probe
      .answers()
      .then((ok) => {
        misses = ok ? 0 : misses + 1;
        if (misses < DATABASE_MISSES) return;
        misses = 0;
        return new Promise<void>((resolve) =>
          supervisor.failed('postgres', `does not answer (${DATABASE_MISSES} checks ${DATABASE_CHECK_MS / 1000} s apart)`, () =>
            db.restart!().then(
              () => {
                log('postgres is back; the services reconnect by themselves.');
                resolve();
              },
              (err: unknown) => {
                log(`postgres did not start again: ${(err as Error).message}`);
                resolve();
              },
            ),
          ),
        );
      })
      .finally(() => (busy = false));
  }, DATABASE_CHECK_MS);
  return () => {
    clearInterval(timer);
    probe.close();
  };
}

/**
 * Starts the whole hub: the database (embedded unless DATABASE_URL is set), migrations, the
 * demo data when empty, the four subgraphs and the gateway, each its own process, kept
 * running by a supervisor (a crashed process is restarted after a growing wait; one that keeps
 * crashing is given up on, and `giveUp` hears which with its last output lines).
 */
export async function startHub(
  options: StartOptions,
  log: (line: string) => void,
  giveUp: (name: string, lastLines: readonly string[]) => void = () => {},
  policy?: CrashPolicy,
): Promise<RunningHub> {
  const subgraphHost = options.subgraphHost ?? '127.0.0.1';
  const ports = SERVICES.map((_s, i) => subgraphPort(options.gatewayPort, i));
  const other = runningHub();
  const next = options.gatewayPort + 100;
  // Started by `npm start`, the option reaches the hub only after npm's `--`.
  const option = process.env.npm_lifecycle_event === 'start' ? `npm start -- --port ${next}` : `--port ${next}`;
  await assertPortsFree(
    [{ name: GATEWAY.name, host: options.host, port: options.gatewayPort }, ...SERVICES.map((s, i) => ({ name: s.name, host: subgraphHost, port: ports[i]! }))],
    `${other ? `A hub of this clone runs already (process ${other.pid}, ${other.url}): stop it with Ctrl+C in its terminal, or start` : 'Stop what holds it, or start'} this one beside it with ${option} (gateway on ${next}, subgraphs on ${next + 1}–${next + SERVICES.length}).`,
  );
  const db = await openDatabase(process.env, log);
  const supervisor = new Supervisor(log, giveUp, policy);
  let unwatch = () => {};
  const stop = async () => {
    supervisor.stop();
    unwatch();
    forgetRunningHub();
    await stopChildren(supervisor.children);
    await db.stop();
  };
  try {
    await migrateAll(db.url, log);
    if (await isEmpty(db.url)) {
      log(`empty database: seeding demo data (${options.cases.toLocaleString('en')} cases; hub seed --cases N for more)`);
      await seedAll(db.url, { cases: options.cases, seed: 'demo', until: todayInVietnam() }, log);
    }
    const secrets = hubSecrets();
    const env = { DATABASE_URL: db.url, IDENTITY_SECRET: secrets.identitySecret, IMPORT_DIR: process.env.IMPORT_DIR ?? join(PROJECT_ROOT, '.data', 'imports') };
    if (options.live === 'nats') Object.assign(env, { LIVE_TRANSPORT: 'nats', OUTBOX_RELAY: 'nats' });
    const out = (tail: (line: string) => void) => (line: string) => {
      tail(line);
      log(line);
    };
    const subgraphs = SERVICES.map((s, i) =>
      supervisor.run({
        name: s.name,
        start: (tail) => startChild(s.name, s.entry, { ...env, HOST: subgraphHost, PORT: String(ports[i]), DB_POOL_SIZE: '8' }, options.json, out(tail)),
      }),
    );
    await Promise.all(SERVICES.map((_s, i) => waitForReady(`http://${subgraphHost}:${ports[i]}/ready`, subgraphs[i]!)));
    const urls = Object.fromEntries(SERVICES.map((s, i) => [`${s.name.toUpperCase().replace('-', '_')}_URL`, `http://${subgraphHost}:${ports[i]}/graphql`]));
    const { issuer, audience } = tokenClaims();
    const auth = options.secure
      ? { AUTH_JWT_SECRET: secrets.jwtSecret, AUTH_ANONYMOUS: 'none', SECURE: 'true', AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience }
      : { AUTH_JWT_SECRET: secrets.jwtSecret, AUTH_ANONYMOUS: 'ministry' };
    const gateway = supervisor.run({
      name: GATEWAY.name,
      start: (tail) =>
        startChild(GATEWAY.name, GATEWAY.entry, { ...env, ...urls, ...auth, HOST: options.host, PORT: String(options.gatewayPort) }, options.json, out(tail)),
    });
    await waitForReady(`http://${options.host}:${options.gatewayPort}/ready`, gateway);
    unwatch = watchDatabase(db, supervisor, log);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `http://${options.host}:${options.gatewayPort}/graphql`;
  recordRunningHub({ pid: process.pid, url, databaseUrl: db.url });
  return {
    url,
    databaseUrl: db.url,
    get children() {
      return supervisor.children;
    },
    stop,
  };
}
