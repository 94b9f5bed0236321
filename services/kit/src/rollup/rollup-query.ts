import type { DataSource } from 'typeorm';
import { readQuery } from '../db/read-pool';
import { latestOpening, openingBuiltTable, openingTable } from './openings';
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
 * valid at asOf. Parameters: $1 unit ids, $2 first month, $3 last month, $4 asOf, $5 buckets.
 *
 * With `openings` (see openings.ts), $6 is a quarter start at or before the first month whose
 * stock openings are built: the stocks start from its opening rows and only the months since
 * are read. Should $6 not be built (any more), the statement reads the months before it
 * instead, so a stale choice of $6 costs time, never a wrong figure. Without, every month
 * back to the first is summed.
 */
export function buildRollupSql(spec: RollupSpec, options: { openings?: boolean } = {}): string {
  const table = checkIdent(spec.table);
  const cols = [...spec.flows, ...spec.stocks].map(checkIdent);
  const flows = spec.flows.map((c) => `coalesce(sum(a.${c}) FILTER (WHERE a.month >= $2::date), 0)::text AS "${c}"`);
  const stocks = spec.stocks.flatMap((c) => [
    `coalesce(sum(a.${c}) FILTER (WHERE a.month < $2::date), 0)::text AS "${c}AtStart"`,
    `coalesce(sum(a.${c}), 0)::text AS "${c}AtEnd"`,
  ]);
  const edgesValid = `e.valid_from <= $4::date AND e.valid_to > $4::date`;
  if (!options.openings || spec.stocks.length === 0) {
    return `SELECT e.ancestor_id AS unit_id, a.bucket AS bucket, ${[...flows, ...stocks].join(', ')}
FROM ${ROLLUP_EDGE_TABLE} e
JOIN ${table} a ON a.unit_id = e.descendant_id AND a.month <= $3::date
WHERE e.ancestor_id = ANY($1::int[]) AND ${edgesValid} AND a.bucket = ANY($5::smallint[])
GROUP BY e.ancestor_id, a.bucket`;
  }
  // An opening row is a month before every month of the period: it counts in the stocks only.
  const months = (range: string) => `SELECT e.ancestor_id, m.bucket, m.month, ${cols.map((c) => `m.${c}`).join(', ')}
  FROM e JOIN ${table} m ON m.unit_id = e.descendant_id AND ${range}
  WHERE m.bucket = ANY($5::smallint[])`;
  return `WITH built AS (SELECT EXISTS (SELECT 1 FROM ${openingBuiltTable(spec)} WHERE month = $6::date) AS yes),
e AS (SELECT e.ancestor_id, e.descendant_id FROM ${ROLLUP_EDGE_TABLE} e WHERE e.ancestor_id = ANY($1::int[]) AND ${edgesValid})
SELECT a.ancestor_id AS unit_id, a.bucket AS bucket, ${[...flows, ...stocks].join(', ')}
FROM (
  ${months('m.month >= $6::date AND m.month <= $3::date')}
  UNION ALL
  SELECT e.ancestor_id, o.bucket, '-infinity'::date, ${[...spec.flows.map(() => '0'), ...spec.stocks.map((c) => `o.${c}`)].join(', ')}
  FROM e JOIN ${openingTable(spec)} o ON o.month = $6::date AND o.unit_id = e.descendant_id
  WHERE o.bucket = ANY($5::smallint[]) AND (SELECT yes FROM built)
  UNION ALL
  ${months('m.month < $6::date')} AND NOT (SELECT yes FROM built)
) a
GROUP BY a.ancestor_id, a.bucket`;
}

const statements = new WeakMap<RollupSpec, { full: string; openings: string }>();

/** `buildRollupSql` once a spec and form: every rollup query sends one. */
function rollupSql(spec: RollupSpec, openings: boolean): string {
  let forms = statements.get(spec);
  if (!forms) statements.set(spec, (forms = { full: buildRollupSql(spec), openings: buildRollupSql(spec, { openings: true }) }));
  return openings ? forms.openings : forms.full;
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
  const params: unknown[] = [unitIds, period.firstMonth, period.lastMonth, asOf, buckets];
  const opening = spec.stocks.length > 0 ? await latestOpening(db, spec, period.firstMonth) : undefined;
  if (opening) params.push(opening);
  const rows = await readQuery<Record<string, string | number>>(db, rollupSql(spec, opening !== undefined), params);
  const out = new Map<number, Map<number, RollupRow>>();
  for (const id of unitIds) out.set(id, new Map(buckets.map((b) => [b, emptyRow(spec)])));
  for (const r of rows) {
    const row = emptyRow(spec);
    for (const key of Object.keys(row)) row[key] = BigInt(r[key] as string);
    out.get(Number(r.unit_id))!.set(Number(r.bucket), row);
  }
  return out;
}
