import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** The connection of the transaction a manager runs in (its query runner's), or undefined outside one. */
export async function transactionClient(db: DataSource | EntityManager): Promise<PoolClient | undefined> {
  const manager = 'manager' in db ? db.manager : db;
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return undefined;
  return (await runner.connect()) as PoolClient;
}
