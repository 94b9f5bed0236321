import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { organisationPrincipal, type Family, type Identity, type Role } from './identity';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** API keys for integrators, stored as hashes in their own schema, never in clear. */
export async function ensureApiKeyTable(db: Queryable): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS access`);
  await db.query(`CREATE TABLE IF NOT EXISTS access.api_key (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    units int[] NOT NULL DEFAULT '{}',
    families text[] NOT NULL DEFAULT '{}',
    secret_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
  )`);
  // The organisation a key belongs to: its keys share one set of limits (null: the key's name).
  await db.query(`ALTER TABLE access.api_key ADD COLUMN IF NOT EXISTS owner text`);
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const KEY_RE = /^thads_(\d+)_([0-9a-f]{64})$/;

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The organisation the key belongs to (its keys share one set of limits); null: its name. */
  owner: string | null;
  role: Role;
  units: number[];
  families: Family[];
  createdAt: string;
  revokedAt: string | null;
}

/**
 * Creates a key; the clear key is returned once and cannot be shown again. Keys of one
 * `owner` (an organisation) share one set of limits; without one, the key's name is its owner.
 */
export async function createApiKey(
  db: Queryable,
  name: string,
  role: Role,
  units: number[],
  families: Family[],
  owner?: string,
): Promise<{ id: string; key: string }> {
  const secret = randomBytes(32).toString('hex');
  const { rows } = await db.query(
    `INSERT INTO access.api_key (name, role, units, families, secret_hash, owner) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
    [name, role, units, families, hash(secret), owner ?? null],
  );
  const id = (rows[0] as { id: string }).id;
  return { id, key: `thads_${id}_${secret}` };
}

export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE access.api_key SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL`, [id]);
  return (rowCount ?? 0) > 0;
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query(
    `SELECT id::text, name, owner, role, units, families, created_at::text AS "createdAt", revoked_at::text AS "revokedAt" FROM access.api_key ORDER BY id`,
  );
  return rows as ApiKeyInfo[];
}

/** The identity of a presented key, or null when it is unknown, wrong or revoked. */
export async function identityOfApiKey(db: Queryable, presented: string): Promise<Identity | null> {
  const m = KEY_RE.exec(presented);
  if (!m) return null;
  const { rows } = await db.query(`SELECT name, owner, role, units, families, secret_hash FROM access.api_key WHERE id = $1::bigint AND revoked_at IS NULL`, [
    m[1],
  ]);
  const row = rows[0] as { name: string; owner: string | null; role: Role; units: number[]; families: Family[]; secret_hash: string } | undefined;
  if (!row) return null;
  const a = Buffer.from(hash(m[2]!));
  const b = Buffer.from(row.secret_hash);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return {
    subject: `key:${m[1]}:${row.name}`,
    role: row.role,
    units: row.units,
    families: row.families,
    principal: organisationPrincipal(row.owner ?? row.name),
  };
}
