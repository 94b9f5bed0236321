import type { DataSource } from 'typeorm';
import { readQuery } from '../db/read-pool';
import type { LocalDate } from '../time/local-date';
import type { Period } from '../time/period';

/**
 * The contract between org-units and the services that roll figures up: for every date,
 * `ancestor_id` covers `descendant_id` (itself, its subtree, and old units mapped through
 * their lineage) while `valid_from <= asOf < valid_to`. Org-units owns and rebuilds it.
 */
export const ROLLUP_EDGE_TABLE = 'org_units.rollup_edge';

/** An aggregate table keyed by (unit_id, month, bucket) whose columns are per-month deltas. */
export interface RollupSpec {
  table: string;
  /** Columns summed over the period's months. */
  flows: readonly string[];
  /** Delta columns whose running sum is a stock: read at the period's start and end. */
  stocks: readonly string[];
}

/** One unit's figures for one bucket: each flow, and each stock as `<name>AtStart`/`<name>AtEnd`. */
export type RollupRow = Record<string, bigint>;

const IDENT = /^[a-z_][a-z0-9_.]*$/;

function checkIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return name;
}

/**
 * Builds the one statement that answers a batch of units: aggregates joined to the ancestry
 * valid at asOf. With `openings` (the default when the spec has stocks; see openings.ts), the
 * stocks start from the latest built quarter's opening at or before the period's first month
 * and only the months since are read; without, every month back to the first is summed.
 * Parameters: $1 unit ids, $2 first month, $3 last month, $4 asOf, $5 buckets.
 */
export function buildRollupSql(spec: RollupSpec, options: { openings?: boolean } = {}): string {
  const openings = options.openings ?? spec.stocks.length > 0;
  const flows = spec.flows.map((c) => `coalesce(sum(a.${checkIdent(c)}) FILTER (WHERE a.month >= $2::date), 0)::text AS "${c}"`);
  const stocks = spec.stocks.flatMap((c) => [
    `coalesce(sum(a.${checkIdent(c)}) FILTER (WHERE a.month < $2::date), 0)::text AS "${c}AtStart"`,
    `coalesce(sum(a.${checkIdent(c)}), 0)::text AS "${c}AtEnd"`,
  ]);
  const edgesValid = `e.valid_from <= $4::date AND e.valid_to > $4::date`;
  if (!openings) {
    return `SELECT e.ancestor_id AS unit_id, a.bucket AS bucket, ${[...flows, ...stocks].join(', ')}
FROM ${ROLLUP_EDGE_TABLE} e
JOIN ${checkIdent(spec.table)} a ON a.unit_id = e.descendant_id AND a.month <= $3::date
WHERE e.ancestor_id = ANY($1::int[]) AND ${edgesValid} AND a.bucket = ANY($5::smallint[])
GROUP BY e.ancestor_id, a.bucket`;
  }
  // An opening row is a month before every month of the period: it counts in the stocks only.
  const cols = [...spec.flows, ...spec.stocks];
  return `WITH s AS (SELECT coalesce(max(month), '-infinity'::date) AS m FROM ${checkIdent(spec.table)}_opening_built WHERE month <= $2::date),
e AS (SELECT e.ancestor_id, e.descendant_id FROM ${ROLLUP_EDGE_TABLE} e WHERE e.ancestor_id = ANY($1::int[]) AND ${edgesValid})
SELECT a.ancestor_id AS unit_id, a.bucket AS bucket, ${[...flows, ...stocks].join(', ')}
FROM (
  SELECT e.ancestor_id, m.bucket, m.month, ${cols.map((c) => `m.${c}`).join(', ')}
  FROM e JOIN ${spec.table} m ON m.unit_id = e.descendant_id AND m.month >= (SELECT s.m FROM s) AND m.month <= $3::date
  WHERE m.bucket = ANY($5::smallint[])
  UNION ALL
  SELECT e.ancestor_id, o.bucket, '-infinity'::date, ${[...spec.flows.map(() => '0'), ...spec.stocks.map((c) => `o.${c}`)].join(', ')}
  FROM e JOIN ${spec.table}_opening o ON o.unit_id = e.descendant_id AND o.month = (SELECT s.m FROM s)
  WHERE o.bucket = ANY($5::smallint[])
) a
GROUP BY a.ancestor_id, a.bucket`;
}

export function emptyRow(spec: RollupSpec): RollupRow {
  const row: RollupRow = {};
  for (const c of spec.flows) row[c] = 0n;
  for (const c of spec.stocks) {
    row[`${c}AtStart`] = 0n;
    row[`${c}AtEnd`] = 0n;
  }
  return row;
}

/**
 * Figures of many units for one period and hierarchy date, in one SQL statement.
 * Returns `unitId → bucket → row`; units and buckets with no activity get zero rows.
 */
export async function queryRollup(
  db: DataSource,
  spec: RollupSpec,
  unitIds: readonly number[],
  period: Period,
  asOf: LocalDate,
  buckets: readonly number[] = [0],
): Promise<Map<number, Map<number, RollupRow>>> {
  const rows = await readQuery<Record<string, string | number>>(db, buildRollupSql(spec), [
    unitIds,
    period.firstMonth,
    period.lastMonth,
    asOf,
    buckets,
  ]);
  const out = new Map<number, Map<number, RollupRow>>();
  for (const id of unitIds) out.set(id, new Map(buckets.map((b) => [b, emptyRow(spec)])));
  for (const r of rows) {
    const row = emptyRow(spec);
    for (const key of Object.keys(row)) row[key] = BigInt(r[key] as string);
    out.get(Number(r.unit_id))!.set(Number(r.bucket), row);
  }
  return out;
}
