/** Runs one statement in the caller's transaction (a TypeORM manager or query runner). */
type Query = { query(sql: string, params?: unknown[]): Promise<unknown> };

/**
 * Recomputes the epochs of the hierarchy from the rollup edges: every validity boundary of
 * an edge starts an epoch that lasts until the next one. Each edge's interval is a run of
 * whole epochs, so within an epoch every unit covers the same units, and a service keeps
 * one rollup an epoch.
 */
export async function refreshRollupEpochs(tx: Query): Promise<void> {
  await tx.query(`DELETE FROM org_units.rollup_epoch`);
  await tx.query(`
    WITH bounds AS (
      SELECT valid_from AS b FROM org_units.rollup_edge
      UNION SELECT valid_to FROM org_units.rollup_edge
    ), epochs AS (SELECT b AS valid_from, lead(b) OVER (ORDER BY b) AS valid_to FROM bounds)
    INSERT INTO org_units.rollup_epoch (valid_from, valid_to)
    SELECT valid_from, valid_to FROM epochs WHERE valid_to IS NOT NULL`);
  // A handful of rows: without statistics the planner takes it for hundreds, and every
  // fan-out through it for a much larger join than it is.
  await tx.query(`ANALYZE org_units.rollup_epoch`);
}
