import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `thads_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A statement of the write path, run as a named prepared statement on the transaction's
 * connection: PostgreSQL parses and plans it once a connection instead of at every call,
 * which is most of the server's cost of a single-row write. Outside a transaction it runs
 * as a plain query.
 */
export async function prepared<R = Record<string, unknown>>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<R[]> {
  const manager = 'manager' in db ? db.manager : db;
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return (await manager.query(text, values)) as R[];
  const client = (await runner.connect()) as PoolClient;
  return (await client.query({ name: nameOf(text), text, values })).rows as R[];
}
