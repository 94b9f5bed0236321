import type { DataSource } from 'typeorm';
import { readQuery } from '../db/read-pool';
import type { LocalDate } from '../time/local-date';
import type { Period } from '../time/period';
import { latestOpening, openingBuiltTable, openingTable } from './openings';
import { ALL_EPOCHS, ROLLUP_EPOCH_TABLE, rollupTable, valueColumns, type RollupSpec } from './rollup-spec';

/** One unit's figures for one bucket: each flow, and each stock as `<name>AtStart`/`<name>AtEnd`. */
export type RollupRow = Record<string, bigint>;

/**
 * The one statement that answers a batch of units from the maintained rollup: the rows of
 * the epoch that holds asOf (and of every epoch: `ALL_EPOCHS`), for the period's months (and the months before it, for the
 * stocks). Parameters: $1 unit ids, $2 first month, $3 last month, $4 asOf, $5 buckets.
 * Its cost follows the number of units and months asked, never the units below them.
 *
 * With `openings` (see openings.ts), $6 is a quarter start at or before the first month whose
 * stock openings are built: the stocks start from its opening rows and only the months since
 * are read. Should $6 not be built (any more), the statement reads the months before it
 * instead, so a stale choice of $6 costs time, never a wrong figure. Without, every month
 * back to the first is read.
 */
export function buildRollupSql(spec: RollupSpec, options: { openings?: boolean; byMonth?: boolean } = {}): string {
  const table = rollupTable(spec);
  const cols = valueColumns(spec);
  const flows = spec.flows.map((c) => `coalesce(sum(a.${c}) FILTER (WHERE a.month >= $2::date), 0)::text AS "${c}"`);
  const stocks = spec.stocks.flatMap((c) => [
    `coalesce(sum(a.${c}) FILTER (WHERE a.month < $2::date), 0)::text AS "${c}AtStart"`,
    `coalesce(sum(a.${c}), 0)::text AS "${c}AtEnd"`,
  ]);
  // Both keys only when an epoch holds asOf: before the first, nothing counts.
  const epoch = `= ANY (ARRAY(SELECT k FROM ${ROLLUP_EPOCH_TABLE}, LATERAL (VALUES (valid_from), ('${ALL_EPOCHS}'::date)) AS keys(k) WHERE valid_from <= $4::date AND valid_to > $4::date))`;
  const rows = (alias: string, from: string, range: string) =>
    `SELECT ${alias}.unit_id, ${alias}.bucket, ${alias}.month, ${cols.map((c) => `${alias}.${c}`).join(', ')}
  FROM ${from} ${alias}
  WHERE ${alias}.epoch ${epoch} AND ${alias}.unit_id = ANY($1::int[]) AND ${alias}.bucket = ANY($5::smallint[]) AND ${range}`;
  // By month: each month of the range on its own row, and every month before it summed into
  // one row (month NULL) whose stocks open the range; the caller sums any periods inside it.
  const select = options.byMonth
    ? `SELECT a.unit_id, a.bucket AS bucket, to_char(${MONTH_OR_BEFORE}, 'YYYY-MM-DD') AS month, ${cols.map((c) => `coalesce(sum(a.${c}), 0)::text AS "${c}"`).join(', ')}`
    : `SELECT a.unit_id, a.bucket AS bucket, ${[...flows, ...stocks].join(', ')}`;
  const groupBy = options.byMonth ? `GROUP BY a.unit_id, a.bucket, ${MONTH_OR_BEFORE}` : 'GROUP BY a.unit_id, a.bucket';
  if (!options.openings || spec.stocks.length === 0) {
    return `${select}
FROM (${rows('r', table, 'r.month <= $3::date')}) a
${groupBy}`;
  }
  // An opening row is a month before every month of the period: it counts in the stocks only.
  return `WITH built AS (SELECT EXISTS (SELECT 1 FROM ${openingBuiltTable(spec)} WHERE month = $6::date) AS yes)
${select}
FROM (
  ${rows('r', table, 'r.month >= $6::date AND r.month <= $3::date')}
  UNION ALL
  SELECT o.unit_id, o.bucket, '-infinity'::date, ${[...spec.flows.map(() => '0'), ...spec.stocks.map((c) => `o.${c}`)].join(', ')}
  FROM ${openingTable(spec)} o
  WHERE o.epoch ${epoch} AND o.unit_id = ANY($1::int[]) AND o.bucket = ANY($5::smallint[]) AND o.month = $6::date AND (SELECT yes FROM built)
  UNION ALL
  ${rows('r', table, 'r.month < $6::date AND NOT (SELECT yes FROM built)')}
) a
${groupBy}`;
}

/** A month of the range, or NULL for every month before it (the opening of the stocks). */
const MONTH_OR_BEFORE = 'CASE WHEN a.month >= $2::date THEN a.month END';

const statements = new WeakMap<RollupSpec, { full: string; openings: string }>();

/** `buildRollupSql` once a spec and form: every read sends one. */
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
 * The parameters of `buildRollupSql`'s statement ($1–$5, and $6 when a stock opening at or
 * before the first month is built) and whether that form applies.
 */
export async function rollupParams(
  db: DataSource,
  spec: RollupSpec,
  unitIds: readonly number[],
  months: Pick<Period, 'firstMonth' | 'lastMonth'>,
  asOf: LocalDate,
  buckets: readonly number[],
): Promise<{ params: unknown[]; openings: boolean }> {
  const params: unknown[] = [unitIds, months.firstMonth, months.lastMonth, asOf, buckets];
  const opening = spec.stocks.length > 0 ? await latestOpening(db, spec, months.firstMonth) : undefined;
  if (opening) params.push(opening);
  return { params, openings: opening !== undefined };
}

/**
 * Figures of many units for one period and hierarchy date, in one SQL statement.
 * Returns `unitId → bucket → row`; units and buckets with no activity get zero rows.
 */
export async function queryRollup(
  db: DataSource,
  spec: RollupSpec,
  unitIds: readonly number[],
  period: Pick<Period, 'firstMonth' | 'lastMonth'>,
  asOf: LocalDate,
  buckets: readonly number[] = [0],
): Promise<Map<number, Map<number, RollupRow>>> {
  const { params, openings } = await rollupParams(db, spec, unitIds, period, asOf, buckets);
  const rows = await readQuery<Record<string, string | number>>(db, rollupSql(spec, openings), params);
  const out = new Map<number, Map<number, RollupRow>>();
  for (const id of unitIds) out.set(id, new Map(buckets.map((b) => [b, emptyRow(spec)])));
  for (const r of rows) {
    const row = emptyRow(spec);
    for (const key of Object.keys(row)) row[key] = BigInt(r[key] as string);
    out.get(Number(r.unit_id))!.set(Number(r.bucket), row);
  }
  return out;
}
