import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * Bearer tokens revoked before their expiry, by their `jti`, beside the API keys. A row may
 * be dropped once the token has expired (`expires_at`), as the gateway refuses it anyway.
 */
export async function ensureRevokedTokenTable(db: Queryable): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS access`);
  await db.query(`CREATE TABLE IF NOT EXISTS access.revoked_token (
    jti text PRIMARY KEY,
    revoked_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz
  )`);
}

/** Records a revocation; false when that jti was revoked already. */
export async function revokeToken(db: Queryable, jti: string, expiresAt?: Date): Promise<boolean> {
  const { rowCount } = await db.query(`INSERT INTO access.revoked_token (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING`, [
    jti,
    expiresAt ?? null,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The jtis of revoked tokens that may still be presented (not known to have expired). */
export async function revokedTokenIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query(`SELECT jti FROM access.revoked_token WHERE expires_at IS NULL OR expires_at > now() - interval '1 day'`);
  return (rows as { jti: string }[]).map((r) => r.jti);
}
