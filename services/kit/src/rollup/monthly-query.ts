import type { DataSource } from 'typeorm';
import { readQuery } from '../db/read-pool';
import type { LocalDate } from '../time/local-date';
import type { Period } from '../time/period';
import { buildRollupSql, emptyRow, rollupParams, type RollupRow } from './rollup-query';
import { valueColumns, type RollupSpec } from './rollup-spec';

/** A unit's months in a range, by bucket: the opening of the stocks before it, and each month's sums. */
export interface MonthlyRows {
  /** Every value column summed over the months before the range (only its stocks matter). */
  before: RollupRow;
  /** Each month of the range that had any activity, by its first day. */
  months: Map<LocalDate, RollupRow>;
}

const statements = new WeakMap<RollupSpec, { plain: string; openings: string }>();

function monthlySql(spec: RollupSpec, openings: boolean): string {
  let forms = statements.get(spec);
  if (!forms) {
    forms = { plain: buildRollupSql(spec, { byMonth: true }), openings: buildRollupSql(spec, { byMonth: true, openings: true }) };
    statements.set(spec, forms);
  }
  return openings ? forms.openings : forms.plain;
}

const zeros = (spec: RollupSpec): RollupRow => Object.fromEntries(valueColumns(spec).map((c) => [c, 0n]));

/**
 * The months of a range for many units, in one SQL statement on the hierarchy of `asOf`:
 * enough to sum any number of periods inside the range (a series, a grid's columns) without
 * another read. Returns `unitId → bucket → months`; units without activity get empty months.
 */
export async function queryMonthlyRollup(
  db: DataSource,
  spec: RollupSpec,
  unitIds: readonly number[],
  range: Pick<Period, 'firstMonth' | 'lastMonth'>,
  asOf: LocalDate,
  buckets: readonly number[] = [0],
): Promise<Map<number, Map<number, MonthlyRows>>> {
  const { params, openings } = await rollupParams(db, spec, unitIds, range, asOf, buckets);
  const rows = await readQuery<Record<string, string | number | null>>(db, monthlySql(spec, openings), params);
  const out = new Map<number, Map<number, MonthlyRows>>();
  for (const id of unitIds) out.set(id, new Map(buckets.map((b) => [b, { before: zeros(spec), months: new Map() }])));
  const columns = valueColumns(spec);
  for (const r of rows) {
    const row = Object.fromEntries(columns.map((c) => [c, BigInt(r[c] as string)])) as RollupRow;
    const monthly = out.get(Number(r.unit_id))!.get(Number(r.bucket))!;
    if (r.month === null) monthly.before = row;
    else monthly.months.set(r.month as LocalDate, row);
  }
  return out;
}

/**
 * The rollup row of one period inside the range read, as `queryRollup` would return it: flows
 * summed over the period's months, each stock at the period's start and end.
 */
export function rowOfPeriod(spec: RollupSpec, monthly: MonthlyRows, period: Pick<Period, 'firstMonth' | 'lastMonth'>): RollupRow {
  const row = emptyRow(spec);
  for (const c of spec.stocks) {
    row[`${c}AtStart`] = monthly.before[c] ?? 0n;
    row[`${c}AtEnd`] = monthly.before[c] ?? 0n;
  }
  for (const [month, values] of monthly.months) {
    if (month > period.lastMonth) continue;
    const inside = month >= period.firstMonth;
    for (const c of spec.flows) if (inside) row[c] = row[c]! + (values[c] ?? 0n);
    for (const c of spec.stocks) {
      if (!inside) row[`${c}AtStart`] = row[`${c}AtStart`]! + (values[c] ?? 0n);
      row[`${c}AtEnd`] = row[`${c}AtEnd`]! + (values[c] ?? 0n);
    }
  }
  return row;
}
