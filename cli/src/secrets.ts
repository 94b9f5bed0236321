import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './services';

export interface HubSecrets {
  /** HS256 secret of bearer tokens. */
  jwtSecret: string;
  /** Secret the gateway signs forwarded identities with. */
  identitySecret: string;
}

const FILE = join(PROJECT_ROOT, '.data', 'secrets.json');

/**
 * The secrets of the local hub: from the environment when set (AUTH_JWT_SECRET,
 * IDENTITY_SECRET), else made once and kept in .data/secrets.json (mode 600).
 */
export function hubSecrets(env: NodeJS.ProcessEnv = process.env): HubSecrets {
  let stored: Partial<HubSecrets> = {};
  if (existsSync(FILE)) stored = JSON.parse(readFileSync(FILE, 'utf8')) as Partial<HubSecrets>;
  const secrets: HubSecrets = {
    jwtSecret: env.AUTH_JWT_SECRET ?? stored.jwtSecret ?? randomBytes(32).toString('hex'),
    identitySecret: env.IDENTITY_SECRET ?? stored.identitySecret ?? randomBytes(32).toString('hex'),
  };
  if (!env.AUTH_JWT_SECRET || !env.IDENTITY_SECRET) {
    mkdirSync(dirname(FILE), { recursive: true });
    writeFileSync(
      FILE,
      JSON.stringify({ jwtSecret: stored.jwtSecret ?? secrets.jwtSecret, identitySecret: stored.identitySecret ?? secrets.identitySecret }, null, 2),
      { mode: 0o600 },
    );
  }
  return secrets;
}
