import { Arg, Ctx, ID, Query, Resolver, type ClassType } from 'type-graphql';
import { ErrorCode, userError } from '../graphql/errors';
import { PeriodInput } from '../graphql/period.input';
import { DateScalar } from '../graphql/scalars';
import { readQuery } from '../db/read-pool';
import type { RollupRow } from '../rollup/rollup-query';
import { parseUnitId, statsScope, type StatsScope } from '../rollup/stats-args';
import type { LocalDate } from '../time/local-date';
import { vietnameseOrder } from '../util/vietnamese';
import { formCell, type FormSpec } from './report-form-spec';
import { ReportForm, ReportFormRowKind, type ReportFormRow } from './report-form-types';
import { reportLoaders, type ReportContext } from './report-loaders';
import type { ReportSpec, Rows } from './report-spec';

interface UnitRow {
  id: number;
  name: string;
}

/** The unit and its subordinate units on the hierarchy of `asOf` (org-units' published table). */
async function unitAndChildren(ctx: ReportContext, unitId: number, asOf: LocalDate): Promise<{ unit: UnitRow; children: UnitRow[] }> {
  const rows = await readQuery<UnitRow & { is_unit: boolean }>(
    ctx.db,
    `SELECT id, name, id = $1 AS is_unit FROM org_units.org_unit
     WHERE id = $1 OR (parent_id = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date))`,
    [unitId, asOf],
  );
  const unit = rows.find((r) => r.is_unit);
  if (!unit) throw userError(ErrorCode.UNIT_NOT_FOUND, `No organizational unit has id "${unitId}".`, { id: String(unitId) });
  const children = rows.filter((r) => !r.is_unit).sort((a, b) => vietnameseOrder.compare(a.name, b.name) || a.id - b.id);
  return { unit, children };
}

/** Every bucket of `total` minus the same bucket of each of `parts`: what the parts leave out. */
function remainder(total: Rows, parts: readonly Rows[]): Rows {
  const out = new Map<number, RollupRow>();
  for (const [bucket, row] of total) {
    const rest: RollupRow = { ...row };
    for (const part of parts) {
      const other = part.get(bucket);
      if (other) for (const key of Object.keys(rest)) rest[key] = rest[key]! - (other[key] ?? 0n);
    }
    out.set(bucket, rest);
  }
  return out;
}

/** Fills a form for a unit and a period: each row's cells from its rollup rows, read in one batch. */
export async function fillForm(spec: ReportSpec, form: FormSpec<object>, unitId: number, scope: StatsScope, ctx: ReportContext): Promise<ReportForm> {
  const { unit, children } = await unitAndChildren(ctx, unitId, scope.asOf);
  const loaders = reportLoaders(ctx, spec);
  const loader = form.readsBuckets ? loaders.full : loaders.totals;
  const [total, ...parts] = await Promise.all([unit, ...children].map((u) => loader.load({ unitId: u.id, ...scope })));
  const row = (kind: ReportFormRowKind, of: UnitRow, label: string, rows: Rows): ReportFormRow => {
    const figures = spec.figures(rows.get(0)!);
    return { kind, unitId: String(of.id), label, values: form.columns.map((c) => formCell(c.kind, c.value(figures, rows))) };
  };
  return {
    form: form.number,
    title: form.title,
    titleEn: form.titleEn,
    unitId: String(unit.id),
    unitName: unit.name,
    periodStart: scope.period.start,
    periodEnd: scope.period.end,
    asOf: scope.asOf,
    columns: form.columns.map(({ key, label, labelEn, kind }) => ({ key, label, labelEn, kind }) as ReportForm['columns'][number]),
    rows: [
      row(ReportFormRowKind.TOTAL, unit, 'Tổng số', total!),
      row(ReportFormRowKind.OWN, unit, `Tại ${unit.name}`, remainder(total!, parts as Rows[])),
      ...children.map((child, i) => row(ReportFormRowKind.SUBORDINATE, child, child.name, parts[i]!)),
    ],
  };
}

/** The query of a report's form: `<form.field>(unitId, period, asOf)`, for whoever may read the unit's figures. */
export function reportFormResolver(spec: ReportSpec, form: FormSpec<object>): ClassType {
  @Resolver()
  class FormResolver {
    @Query(() => ReportForm, { name: form.field, description: form.description })
    async form(
      @Arg('unitId', () => ID, { description: 'The unit reported on: its rows are it and the units directly under it.' }) unitId: string,
      @Arg('period', () => PeriodInput, { description: 'The reporting period.' }) period: PeriodInput,
      @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to follow. Default: the period's last day." })
      asOf: string | undefined,
      @Ctx() ctx: ReportContext,
    ): Promise<ReportForm> {
      const id = parseUnitId(unitId);
      await ctx.access.assertRead(id, spec.family);
      return fillForm(spec, form, id, statsScope(period, asOf), ctx);
    }
  }
  return FormResolver;
}
