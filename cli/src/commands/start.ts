import { join } from 'node:path';
import { todayInVietnam } from '@thads/kit';
import { GATEWAY, PROJECT_ROOT, SERVICES } from '../services';
import { hubSecrets } from '../secrets';
import { tokenClaims } from '../token-claims';
import { openDatabase } from '../database';
import { startChild, stopChildren, waitForReady, type Child } from '../processes';
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
      await seedAll(db.url, { cases: options.cases, seed: 'demo', until: todayInVietnam() }, log);
    }
    const secrets = hubSecrets();
    const env = { DATABASE_URL: db.url, IDENTITY_SECRET: secrets.identitySecret, IMPORT_DIR: process.env.IMPORT_DIR ?? join(PROJECT_ROOT, '.data', 'imports') };
    if (options.live === 'nats') Object.assign(env, { LIVE_TRANSPORT: 'nats', OUTBOX_RELAY: 'nats' });
    const subgraphHost = options.subgraphHost ?? '127.0.0.1';
    const ports = SERVICES.map((_s, i) => subgraphPort(options.gatewayPort, i));
    SERVICES.forEach((s, i) =>
      children.push(startChild(s.name, s.entry, { ...env, HOST: subgraphHost, PORT: String(ports[i]), DB_POOL_SIZE: '8' }, options.json, log)),
    );
    await Promise.all(SERVICES.map((_s, i) => waitForReady(`http://${subgraphHost}:${ports[i]}/ready`, children[i]!)));
    const urls = Object.fromEntries(SERVICES.map((s, i) => [`${s.name.toUpperCase().replace('-', '_')}_URL`, `http://${subgraphHost}:${ports[i]}/graphql`]));
    const { issuer, audience } = tokenClaims();
    const auth = options.secure
      ? { AUTH_JWT_SECRET: secrets.jwtSecret, AUTH_ANONYMOUS: 'none', SECURE: 'true', AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience }
      : { AUTH_JWT_SECRET: secrets.jwtSecret, AUTH_ANONYMOUS: 'ministry' };
    const gateway = startChild(
      GATEWAY.name,
      GATEWAY.entry,
      { ...env, ...urls, ...auth, HOST: options.host, PORT: String(options.gatewayPort) },
      options.json,
      log,
    );
    children.push(gateway);
    await waitForReady(`http://${options.host}:${options.gatewayPort}/ready`, gateway);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://${options.host}:${options.gatewayPort}/graphql`, databaseUrl: db.url, children, stop };
}
