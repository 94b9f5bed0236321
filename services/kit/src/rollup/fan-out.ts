import { ALL_EPOCHS, ROLLUP_EDGE_TABLE, ROLLUP_EPOCH_TABLE, ROLLUP_FAN_OUT_TABLE, checkIdent, rollupTable, valueType, type RollupSpec } from './rollup-spec';

/** Runs one statement in the caller's transaction (a TypeORM manager or query runner). */
type Query = { query(sql: string, params?: unknown[]): Promise<unknown> };

/**
 * Recomputes where each unit's deltas go, from the edges and the epochs: an edge that holds
 * in every epoch once, under `ALL_EPOCHS` (a unit itself, its nation, a parent it kept), any
 * other edge once for each epoch inside its interval. Every rollup is summed through it, so
 * each must be summed again after it changes (org-units' `rebuildRollupEdges` does both).
 */
export async function refreshRollupFanOut(tx: Query): Promise<void> {
  await tx.query(`DELETE FROM ${ROLLUP_FAN_OUT_TABLE}`);
  await tx.query(`
    WITH span AS (SELECT min(valid_from) AS first, max(valid_to) AS last FROM ${ROLLUP_EPOCH_TABLE}),
    edge AS (SELECT e.*, (e.valid_from <= s.first AND e.valid_to >= s.last) AS always FROM ${ROLLUP_EDGE_TABLE} e, span s)
    INSERT INTO ${ROLLUP_FAN_OUT_TABLE} (descendant_id, epoch, ancestor_id)
    SELECT descendant_id, '${ALL_EPOCHS}'::date, ancestor_id FROM edge WHERE always
    UNION ALL
    SELECT e.descendant_id, p.valid_from, e.ancestor_id
    FROM edge e JOIN ${ROLLUP_EPOCH_TABLE} p ON p.valid_from >= e.valid_from AND p.valid_to <= e.valid_to
    WHERE NOT e.always`);
  await tx.query(`ANALYZE ${ROLLUP_FAN_OUT_TABLE}`);
}

/**
 * Where one unit's month deltas go in the maintained rollup: to every unit that covers it
 * (itself, its ancestors, the units its lineage maps into), in every epoch in which that
 * edge holds, or once under `ALL_EPOCHS` for an edge that holds in all of them (the fan-out
 * table). `source` is a relation with `unit_id`, `month`, `bucket` and the columns; the
 * result has `epoch, unit_id, bucket, month` and the columns summed.
 */
export function fannedOut(source: string, columns: readonly string[]): string {
  return `SELECT e.epoch, e.ancestor_id AS unit_id, d.bucket, d.month, ${columns.map((c) => `sum(d.${checkIdent(c)}) AS ${c}`).join(', ')}
     FROM ${source}
     JOIN ${ROLLUP_FAN_OUT_TABLE} e ON e.descendant_id = d.unit_id
     GROUP BY 1, 2, 3, 4`;
}

const statements = new Map<string, string>();

/**
 * The statement a write sends after its month rows: the same deltas added to the maintained
 * rollup of every covering unit and epoch, atomically (concurrent writers lose nothing), the
 * rows taken in key order so that two writers lock them in one order. Parameters as
 * `addMonthDeltas` sends them: unit ids, months, buckets, then one array a column (of the
 * spec's valueType).
 */
export function rollupDeltasSql(spec: RollupSpec, columns: readonly string[]): string {
  const key = `${spec.table}|${columns.join(',')}`;
  let sql = statements.get(key);
  if (!sql) {
    const source = `unnest($1::int[], $2::date[], $3::smallint[], ${columns.map((_c, i) => `$${i + 4}::${valueType(spec)}[]`).join(', ')}) AS d(unit_id, month, bucket, ${columns.join(', ')})`;
    // Summed in a hash first and only the sums sorted: an import's ~4 joined rows a month row
    // become ~1.3 rollup rows, and sorting those is what the key order costs.
    sql = `INSERT INTO ${rollupTable(spec)} AS r (epoch, unit_id, bucket, month, ${columns.join(', ')})
     WITH summed AS MATERIALIZED (${fannedOut(source, columns)})
     SELECT * FROM summed ORDER BY 1, 2, 3, 4
     ON CONFLICT (epoch, unit_id, bucket, month) DO UPDATE SET ${columns.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(', ')}`;
    statements.set(key, sql);
  }
  return sql;
}
