import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Identity } from '../auth/identity';
import { ErrorCode, userError } from '../graphql/errors';
import { deferred, prepared } from '../db/prepared';

const KEY_RE = /^[A-Za-z0-9._:-]{8,200}$/;

export function requestHash(operation: string, input: unknown): string {
  return createHash('sha256')
    .update(operation)
    .update(JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
    .digest('hex');
}

/**
 * The caller a key belongs to: the subject behind the token or key, with the role and units
 * it wrote with. A stored answer goes back only to that same caller with the same rights, and
 * two callers choosing the same key never collide.
 */
export function keyOwner(identity: Identity): string {
  return createHash('sha256')
    .update(JSON.stringify([identity.subject, identity.role, [...identity.units].sort((a, b) => a - b)]))
    .digest('hex')
    .slice(0, 32);
}

/** The key's row: `<owner>/<key>`, after checking the key's form. */
function storedKey(caller: Identity, key: string): string {
  if (!KEY_RE.test(key)) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'idempotencyKey must be 8–200 characters of letters, digits, ".", "_", ":" or "-"; a UUID is a good choice.', {
      field: 'idempotencyKey',
    });
  }
  return `${keyOwner(caller)}/${key}`;
}

const keyReused = (key: string) =>
  userError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    `The idempotency key "${key}" was already used for another request. Use a new key for a new request; resend a retry unchanged.`,
    { key },
  );

/**
 * Runs a write once per idempotency key of a caller. The key is claimed in the caller's
 * transaction, so a retry either finds the stored answer (and changes nothing) or waits for
 * the first attempt to commit or roll back. The same key with another request is refused.
 * Keys are stored as `<owner>/<key>` (a key has no "/"): another caller's key is another row.
 */
export async function once<T>(
  tx: EntityManager,
  schema: string,
  caller: Identity,
  key: string,
  operation: string,
  input: unknown,
  work: () => Promise<T>,
): Promise<T> {
  return onceHashed(tx, schema, caller, key, operation, requestHash(operation, input), work);
}

/** `once` for a request whose hash the caller made (see `importEventFile`). */
export async function onceHashed<T>(
  tx: EntityManager,
  schema: string,
  caller: Identity,
  key: string,
  operation: string,
  hash: string,
  work: () => Promise<T>,
): Promise<T> {
  const stored = storedKey(caller, key);
  const claimed: unknown[] = await prepared(
    tx,
    `INSERT INTO ${schema}.idempotency (key, operation, request_hash) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [stored, operation, hash],
  );
  if (claimed.length === 0) {
    // Claimed by an attempt that has committed since (the claim waited for it): its answer.
    const kept = await keptAnswer<T>(tx, schema, caller, key, operation, (h) => h === hash);
    if (kept === undefined) throw keyReused(key);
    return kept;
  }
  const response = await work();
  await deferred(tx, `UPDATE ${schema}.idempotency SET response = $2 WHERE key = $1`, [
    stored,
    JSON.stringify(response, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ]);
  return response;
}

/**
 * The answer kept for a key of a caller, without claiming the key (a committed row always
 * holds its answer: the claim and the answer are written in one transaction). Undefined when
 * the key was never used; IDEMPOTENCY_KEY_REUSED when it was, for another operation or for a
 * request `sameRequest` does not recognise by its hash.
 */
export async function keptAnswer<T>(
  db: DataSource | EntityManager,
  schema: string,
  caller: Identity,
  key: string,
  operation: string,
  sameRequest: (hash: string) => boolean,
): Promise<T | undefined> {
  const [row] = (await prepared(db, `SELECT operation, request_hash, response FROM ${schema}.idempotency WHERE key = $1`, [storedKey(caller, key)])) as {
    operation: string;
    request_hash: string;
    response: T;
  }[];
  if (!row) return undefined;
  if (row.operation !== operation || !sameRequest(row.request_hash)) throw keyReused(key);
  return row.response;
}

/** The idempotency table every writing service keeps in its own schema. */
export function idempotencyTableSql(schema: string): string {
  return `CREATE TABLE ${schema}.idempotency (
    key text PRIMARY KEY,
    operation text NOT NULL,
    request_hash text NOT NULL,
    response jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`;
}
