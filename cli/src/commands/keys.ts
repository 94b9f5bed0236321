import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { signHs256 } from '@thads/gateway';
import {
  FAMILIES,
  ROLES,
  createApiKey,
  ensureApiKeyTable,
  ensureRevokedTokenTable,
  listApiKeys,
  revokeApiKey,
  revokeToken,
  type Family,
  type Role,
} from '@thads/kit';
import { UsageError } from '../cli-args';
import { hubSecrets } from '../secrets';
import { tokenClaims } from '../token-claims';

export function parseRole(value: unknown): Role {
  if (!ROLES.includes(value as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${String(value)}".`);
  return value as Role;
}

export function parseUnits(value: unknown): number[] {
  if (value === undefined || value === '') return [];
  const units = String(value)
    .split(',')
    .map((s) => Number(s.trim()));
  if (units.some((u) => !Number.isSafeInteger(u) || u < 1))
    throw new UsageError(`--units must be unit ids separated by commas, e.g. 2001,2002; got "${String(value)}".`);
  return units;
}

export function parseFamilies(value: unknown, role: Role): Family[] {
  if (value === undefined || value === '') return role === 'integrator' ? [] : [...FAMILIES];
  const families = String(value)
    .split(',')
    .map((s) => s.trim());
  const bad = families.find((f) => !FAMILIES.includes(f as Family));
  if (bad) throw new UsageError(`--families takes ${FAMILIES.join(', ')}; "${bad}" is not one.`);
  return families as Family[];
}

/**
 * A bearer token signed with the hub's HS256 secret, for the hub's issuer and audience (which
 * `hub start --secure` requires), with an id (jti) by which it can be revoked; `org` names the
 * organisation whose limits it shares.
 */
export function devToken(role: Role, units: number[], families: Family[], subject: string, ttlSeconds: number, org?: string): { token: string; jti: string } {
  const now = Math.floor(Date.now() / 1000);
  const { issuer, audience } = tokenClaims();
  const jti = randomUUID();
  const claims = { sub: subject, role, units, families, iss: issuer, aud: audience, jti, iat: now, exp: now + ttlSeconds, ...(org ? { org } : {}) };
  return { token: signHs256(claims, hubSecrets().jwtSecret), jti };
}

export async function keysCommand(url: string, action: string, v: Record<string, string | boolean | undefined>): Promise<string> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await ensureApiKeyTable(pool);
    if (action === 'create') {
      if (!v.name) throw new UsageError('Give the key a name: --name "Cổng dữ liệu tỉnh X".');
      const role = parseRole(v.role ?? 'integrator');
      const units = parseUnits(v.units);
      if (role !== 'ministry' && units.length === 0)
        throw new UsageError(`A ${role} key needs --units (the unit ids it may see or write; 1 for the whole country).`);
      const { id, key } = await createApiKey(pool, String(v.name), role, units, parseFamilies(v.families, role), v.owner ? String(v.owner) : undefined);
      return `created key ${id}. Keep it now, it cannot be shown again:\n${key}\n`;
    }
    if (action === 'revoke') {
      if (!v.id) throw new UsageError('Give the id of the key to revoke: --id 3 (see "hub keys --action list").');
      if (!/^\d{1,18}$/.test(String(v.id))) throw new UsageError(`--id is a key's number, e.g. --id 3 (see "hub keys --action list"), got "${String(v.id)}".`);
      return (await revokeApiKey(pool, String(v.id))) ? `revoked key ${String(v.id)}\n` : `no active key ${String(v.id)}\n`;
    }
    if (action === 'revoke-token') {
      if (!v.jti) throw new UsageError('Give the id of the token to revoke: --jti <id> (printed by "hub keys --action token").');
      await ensureRevokedTokenTable(pool);
      return (await revokeToken(pool, String(v.jti)))
        ? `revoked token ${String(v.jti)}: the gateway refuses it within seconds, and closes its live connections\n`
        : `token ${String(v.jti)} was revoked already\n`;
    }
    if (action === 'list') {
      const keys = await listApiKeys(pool);
      return (
        keys
          .map(
            (k) =>
              `${k.id}\t${k.name}\towner ${k.owner ?? k.name}\t${k.role}\tunits ${k.units.join(',') || '-'}\tfamilies ${k.families.join(',') || '-'}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`,
          )
          .join('\n') + '\n'
      );
    }
    throw new UsageError(`--action must be create, revoke, list, token or revoke-token; got "${action}".`);
  } finally {
    await pool.end();
  }
}
