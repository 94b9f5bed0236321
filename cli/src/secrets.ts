import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './services';

export interface HubSecrets {
  /** HS256 secret of bearer tokens. */
  jwtSecret: string;
  /** Secret the gateway signs forwarded identities with. */
  identitySecret: string;
}

/** Everything kept in the secrets file. */
interface StoredSecrets extends HubSecrets {
  /** Password of the embedded PostgreSQL's superuser. */
  databasePassword: string;
}

/** The local hub's secrets: owner-only (mode 600), under the git-ignored .data/. */
export const SECRETS_FILE = join(PROJECT_ROOT, '.data', 'secrets.json');

function readStored(file: string): Partial<StoredSecrets> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>) : {};
}

/**
 * Adds secrets to the file, keeping what it holds. The mode is set again after the write:
 * `writeFileSync`'s mode applies to a new file only, and a copied or restored file may have
 * come back readable by others.
 */
function store(file: string, added: Partial<StoredSecrets>): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...readStored(file), ...added }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

const fresh = () => randomBytes(32).toString('hex');

/**
 * The secrets of the local hub: from the environment when set (AUTH_JWT_SECRET,
 * IDENTITY_SECRET), else made once and kept in .data/secrets.json (mode 600).
 */
export function hubSecrets(env: NodeJS.ProcessEnv = process.env, file = SECRETS_FILE): HubSecrets {
  const stored = readStored(file);
  const secrets: HubSecrets = {
    jwtSecret: env.AUTH_JWT_SECRET ?? stored.jwtSecret ?? fresh(),
    identitySecret: env.IDENTITY_SECRET ?? stored.identitySecret ?? fresh(),
  };
  if (!env.AUTH_JWT_SECRET || !env.IDENTITY_SECRET)
    store(file, { jwtSecret: stored.jwtSecret ?? secrets.jwtSecret, identitySecret: stored.identitySecret ?? secrets.identitySecret });
  return secrets;
}

/**
 * The embedded PostgreSQL superuser's password: EMBEDDED_PG_PASSWORD when set, else made
 * once (32 random bytes) and kept in the secrets file, where every command that opens the
 * embedded database (start, seed, import, keys, db) finds it.
 */
export function embeddedDatabasePassword(env: NodeJS.ProcessEnv = process.env, file = SECRETS_FILE): string {
  if (env.EMBEDDED_PG_PASSWORD) return env.EMBEDDED_PG_PASSWORD;
  const stored = readStored(file).databasePassword;
  if (stored) return stored;
  const made = fresh();
  store(file, { databasePassword: made });
  return made;
}
