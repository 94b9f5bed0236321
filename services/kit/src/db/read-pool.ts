import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { NO_JIT } from './data-source';
import { statementName } from './statement-name';

const pools = new WeakMap<DataSource, Pool>();

/** Connections a service keeps for its report reads, beside its pool for writes. */
const READ_POOL_SIZE = 4;

/**
 * Report reads (rollups, rankings, targets) on connections of their own. With one pool,
 * a read waits in line behind every write transaction queued before it: under a steady
 * stream of writes a live refresh took half a second to get a connection. The pool is
 * opened on first use with the data source's own settings and closed with `closeReadPool`.
 */
export function readPool(db: DataSource): Pool {
  let pool = pools.get(db);
  if (!pool) {
    const options = db.options as { url?: string; applicationName?: string };
    pool = new Pool({
      options: NO_JIT,
      connectionString: options.url,
      max: READ_POOL_SIZE,
      application_name: `${options.applicationName ?? 'thads'}-reads`,
      idleTimeoutMillis: 5000,
      allowExitOnIdle: true,
    });
    pool.on('error', () => {}); // an idle connection that dies is replaced on the next read
    pools.set(db, pool);
  }
  return pool;
}

/**
 * A report read: rows as TypeORM's `query` returns them. It runs as a named prepared
 * statement: a rollup read executes in a fraction of a millisecond, and parsing and
 * planning it again at every call took several times that. Its text must be fixed (every
 * value a parameter), as every caller's is.
 */
export async function readQuery<R = Record<string, unknown>>(db: DataSource, text: string, values: unknown[]): Promise<R[]> {
  return (await readPool(db).query({ name: statementName(text), text, values })).rows as R[];
}

/** The report reads' pool of a data source if it is open (for the pool gauges), without opening it. */
export function openReadPool(db: DataSource): Pool | undefined {
  return pools.get(db);
}

export async function closeReadPool(db: DataSource): Promise<void> {
  const pool = pools.get(db);
  pools.delete(db);
  await pool?.end();
}
