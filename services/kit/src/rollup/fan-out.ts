import { ROLLUP_EDGE_TABLE, ROLLUP_EPOCH_TABLE, checkIdent, rollupTable, type RollupSpec } from './rollup-spec';

/**
 * Where one unit's month deltas go in the maintained rollup: to every unit that covers it
 * (itself, its ancestors, the units its lineage maps into), in every epoch in which that
 * edge holds. `source` is a relation with `unit_id`, `month`, `bucket` and the columns;
 * the result has `epoch, unit_id, bucket, month` and the columns summed, in key order.
 */
export function fannedOut(source: string, columns: readonly string[]): string {
  return `SELECT p.valid_from AS epoch, e.ancestor_id AS unit_id, d.bucket, d.month, ${columns.map((c) => `sum(d.${checkIdent(c)}) AS ${c}`).join(', ')}
     FROM ${source}
     JOIN ${ROLLUP_EDGE_TABLE} e ON e.descendant_id = d.unit_id
     JOIN ${ROLLUP_EPOCH_TABLE} p ON p.valid_from >= e.valid_from AND p.valid_to <= e.valid_to
     GROUP BY 1, 2, 3, 4`;
}

const statements = new Map<string, string>();

/**
 * The statement a write sends after its month rows: the same deltas added to the maintained
 * rollup of every covering unit and epoch, atomically (concurrent writers lose nothing), the
 * rows taken in key order so that two writers lock them in one order. Parameters as
 * `addMonthDeltas` sends them: unit ids, months, buckets, then one bigint[] a column.
 */
export function rollupDeltasSql(spec: RollupSpec, columns: readonly string[]): string {
  const key = `${spec.table}|${columns.join(',')}`;
  let sql = statements.get(key);
  if (!sql) {
    const source = `unnest($1::int[], $2::date[], $3::smallint[], ${columns.map((_c, i) => `$${i + 4}::bigint[]`).join(', ')}) AS d(unit_id, month, bucket, ${columns.join(', ')})`;
    sql = `INSERT INTO ${rollupTable(spec)} AS r (epoch, unit_id, bucket, month, ${columns.join(', ')})
     ${fannedOut(source, columns)}
     ORDER BY 1, 2, 3, 4
     ON CONFLICT (epoch, unit_id, bucket, month) DO UPDATE SET ${columns.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(', ')}`;
    statements.set(key, sql);
  }
  return sql;
}
