import type { DataSource, EntityManager } from 'typeorm';
import { todayInVietnam, type LocalDate } from '../time/local-date';
import { fannedOut } from './fan-out';
import { forgetBuiltOpenings, inTransaction, rebuildOpenings } from './openings';
import { announceRewrite } from '../write/outbox';
import { ROLLUP_REGISTRY_TABLE, rollupTable, valueColumns, type RollupSpec } from './rollup-spec';

type Db = DataSource | EntityManager;

/**
 * Sums the maintained rollup again from the month rows, on the hierarchy as it is now, and
 * builds its openings, in the caller's transaction (or one of its own). Writers wait for it
 * (the month table's SHARE ROW EXCLUSIVE lock); readers keep reading the old rows until it
 * commits, and hear of the rewrite then.
 */
export async function rebuildRollup(db: Db, spec: RollupSpec, today: LocalDate = todayInVietnam()): Promise<void> {
  const columns = valueColumns(spec);
  await inTransaction(db, async (tx) => {
    await tx.query(`LOCK TABLE ${spec.table} IN SHARE ROW EXCLUSIVE MODE`);
    await tx.query(`DELETE FROM ${rollupTable(spec)}`);
    await tx.query(
      `INSERT INTO ${rollupTable(spec)} (epoch, unit_id, bucket, month, ${columns.join(', ')})
       ${fannedOut(`${spec.table} d`, columns)}`,
    );
    await tx.query(`ANALYZE ${rollupTable(spec)}`);
    await rebuildOpenings(tx, spec, today);
    await tx.query(`UPDATE ${ROLLUP_REGISTRY_TABLE} SET built_at = now() WHERE rollup_table = $1`, [rollupTable(spec)]);
    // Whoever keeps figures (the gateways' caches, the live layer) drops them at the commit.
    await announceRewrite(tx);
    forgetBuiltOpenings(tx.connection);
  });
}

/**
 * Writes the month rows again from the raw facts (the spec's `facts` query), then the rollup
 * above them: everything maintained, rebuilt from what was recorded.
 */
export async function rebuildFromFacts(db: DataSource, spec: RollupSpec, today: LocalDate = todayInVietnam()): Promise<void> {
  if (!spec.facts) throw new Error(`${spec.table} has no facts query to rebuild from`);
  const columns = valueColumns(spec);
  await db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${spec.table} IN SHARE ROW EXCLUSIVE MODE`);
    await tx.query(`DELETE FROM ${spec.table}`);
    await tx.query(
      `INSERT INTO ${spec.table} (unit_id, month, bucket, ${columns.join(', ')}) SELECT unit_id, month, bucket, ${columns.join(', ')} FROM (${spec.facts}) f`,
    );
    await tx.query(`ANALYZE ${spec.table}`);
    await rebuildRollup(tx, spec, today);
  });
}

/** Lists a rollup for the rebuilds of the hierarchy (a service's migration does it once). */
export async function registerRollup(db: Db, spec: RollupSpec): Promise<void> {
  const { table, flows, stocks, valueType } = spec;
  await db.query(`INSERT INTO ${ROLLUP_REGISTRY_TABLE} (rollup_table, spec) VALUES ($1, $2) ON CONFLICT (rollup_table) DO UPDATE SET spec = EXCLUDED.spec`, [
    rollupTable(spec),
    JSON.stringify({ table, flows, stocks, valueType }),
  ]);
}

/**
 * Sums every registered rollup again, in the caller's transaction: org-units runs it after
 * it rebuilt the edges, so that no rollup is ever read on another hierarchy than the edges'.
 */
export async function rebuildRegisteredRollups(tx: EntityManager): Promise<string[]> {
  const rows: { spec: RollupSpec }[] = await tx.query(`SELECT spec FROM ${ROLLUP_REGISTRY_TABLE} ORDER BY rollup_table`);
  for (const { spec } of rows) await rebuildRollup(tx, spec);
  return rows.map((r) => rollupTable(r.spec));
}
