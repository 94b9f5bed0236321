import type { DataSource, EntityManager } from 'typeorm';
import { fannedOut } from './fan-out';
import { openingBuiltTable, openingTable } from './openings';
import { rollupTable, valueColumns, type RollupSpec } from './rollup-spec';

/** One stored row that differs from its recomputation (values as decimal strings). */
export interface Difference {
  table: string;
  /** The row's key: unit_id, month, bucket, and epoch for a rollup. */
  key: Record<string, string | number>;
  column: string;
  expected: string;
  stored: string;
}

export interface VerifyReport {
  table: string;
  /** Rows recomputed and compared. */
  compared: number;
  /** Differences found (all of them counted; `differences` lists the first ones). */
  differing: number;
  differences: Difference[];
}

/**
 * Compares a stored table with a recomputation: a full join on the key, where a missing row
 * counts as zeros. Returns the rows compared and those that differ, one line a column.
 */
async function compare(
  tx: EntityManager,
  table: string,
  stored: string,
  expected: string,
  keys: readonly string[],
  columns: readonly string[],
  limit: number,
): Promise<VerifyReport> {
  const differs = columns.map((c) => `coalesce(x.${c}, 0) <> coalesce(s.${c}, 0)`).join(' OR ');
  const rows: Record<string, string>[] = await tx.query(
    `WITH x AS (${expected}), s AS (${stored}),
     j AS (SELECT ${keys.map((k) => `coalesce(x.${k}, s.${k})::text AS ${k}`).join(', ')},
             ${columns.map((c) => `coalesce(x.${c}, 0)::text AS "${c}:x", coalesce(s.${c}, 0)::text AS "${c}:s"`).join(', ')},
             (${differs}) AS differs
           FROM x FULL JOIN s USING (${keys.join(', ')}))
     SELECT (SELECT count(*) FROM j)::int AS compared, (SELECT count(*) FROM j WHERE differs)::int AS differing, d.*
     FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM j WHERE differs ORDER BY ${keys.join(', ')} LIMIT ${Math.max(1, Math.floor(limit))}) d ON true`,
  );
  const report: VerifyReport = { table, compared: Number(rows[0]?.compared ?? 0), differing: Number(rows[0]?.differing ?? 0), differences: [] };
  for (const r of rows) {
    if (r[keys[0]!] === null || r[keys[0]!] === undefined) continue;
    const key = Object.fromEntries(keys.map((k) => [k, r[k]!]));
    for (const c of columns) if (r[`${c}:x`] !== r[`${c}:s`]) report.differences.push({ table, key, column: c, expected: r[`${c}:x`]!, stored: r[`${c}:s`]! });
  }
  return report;
}

/**
 * Checks everything maintained for a spec against a recomputation from the raw facts (the
 * spec's `facts` query; without one, from the month rows): the month rows, the rollup of
 * every unit in every epoch (on the current rollup edges), and the stock openings of every
 * built quarter. Reads one snapshot; writes nothing.
 */
export async function verifyRollup(db: DataSource, spec: RollupSpec, limit = 20): Promise<VerifyReport[]> {
  const columns = valueColumns(spec);
  const cols = columns.join(', ');
  const month = `SELECT unit_id, month, bucket, ${cols} FROM ${spec.table}`;
  const facts = spec.facts ? `SELECT unit_id, month, bucket, ${cols} FROM (${spec.facts}) f` : month;
  const rollupKeys = ['epoch', 'unit_id', 'bucket', 'month'];
  return db.transaction('REPEATABLE READ', async (tx) => {
    // The recomputation hashes and groups every row: in memory, not in batches on disk; and
    // compiling the plans (JIT) took longer than running them on the demo data.
    await tx.query(`SET LOCAL work_mem = '128MB'`);
    await tx.query(`SET LOCAL jit = off`);
    const reports: VerifyReport[] = [];
    if (spec.facts) reports.push(await compare(tx, spec.table, month, facts, ['unit_id', 'month', 'bucket'], columns, limit));
    // The rollup recomputed once, for the rollup rows and the openings alike.
    await tx.query(`CREATE TEMP TABLE recomputed ON COMMIT DROP AS ${fannedOut(`(${facts}) d`, columns)}`);
    await tx.query(`ANALYZE recomputed`);
    reports.push(
      await compare(
        tx,
        rollupTable(spec),
        `SELECT epoch, unit_id, bucket, month, ${cols} FROM ${rollupTable(spec)}`,
        'SELECT * FROM recomputed',
        rollupKeys,
        columns,
        limit,
      ),
    );
    if (spec.stocks.length) {
      const stocks = spec.stocks.join(', ');
      // Summed by the quarter after each month first (a month is before quarter b exactly when
      // the quarter after it starts on b or earlier): a few rows a key to join with the quarters.
      const byQuarter = `SELECT epoch, unit_id, bucket, (date_trunc('quarter', month) + interval '3 months')::date AS after, ${spec.stocks.map((c) => `sum(${c}) AS ${c}`).join(', ')}
        FROM recomputed GROUP BY 1, 2, 3, 4`;
      const expected = `SELECT q.epoch, q.unit_id, q.bucket, b.month, ${spec.stocks.map((c) => `sum(q.${c}) AS ${c}`).join(', ')}
        FROM (${byQuarter}) q JOIN ${openingBuiltTable(spec)} b ON q.after <= b.month GROUP BY 1, 2, 3, 4`;
      reports.push(
        await compare(
          tx,
          openingTable(spec),
          `SELECT epoch, unit_id, bucket, month, ${stocks} FROM ${openingTable(spec)}`,
          expected,
          rollupKeys,
          spec.stocks,
          limit,
        ),
      );
    }
    return reports;
  });
}
