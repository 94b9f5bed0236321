import { Arg, Ctx, Directive, Field, ID, ObjectType, Query, Resolver, registerEnumType, type ClassType } from 'type-graphql';
import { ErrorCode, userError } from '../graphql/errors';
import { PeriodInput } from '../graphql/period.input';
import { DateScalar } from '../graphql/scalars';
import { readQuery } from '../db/read-pool';
import { rowOfPeriod } from '../rollup/monthly-query';
import { parseUnitId } from '../rollup/stats-args';
import { RankingLevel, unitsOfLevel } from '../stats/units-of-level';
import { resolvePeriod } from '../time/period';
import { vietnameseOrder } from '../util/vietnamese';
import { formCell, type FormColumn, type FormSpec } from './report-form-spec';
import { ColumnHeading, ReportFormValueKind } from './report-form-types';
import { reportLoaders, type ReportContext } from './report-loaders';
import { reportTypeName, type ReportSpec } from './report-spec';
import { rangeOf } from './report-series';

/** Cells one grid may hold: units × periods × indicators. */
export const MAX_GRID_CELLS = 250_000;
/** Periods one grid may have. */
export const MAX_GRID_PERIODS = 60;

@Directive('@shareable')
@ObjectType({ description: 'One column of an indicator grid: an indicator in a period.' })
export class IndicatorGridColumn extends ColumnHeading {
  @Field(() => String, { description: 'The indicator, as asked (e.g. DONE).' })
  indicator!: string;

  @Field(() => DateScalar, { description: 'First day of the period.' })
  periodStart!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  periodEnd!: string;

  @Field(() => String, { description: 'The period as a person reads it, e.g. "6 months of statistical year 2026".' })
  periodLabel!: string;
}

@Directive('@shareable')
@ObjectType({ description: 'One row of an indicator grid: a unit and one cell a column.' })
export class IndicatorGridRow {
  @Field(() => ID, { description: 'The unit.' })
  unitId!: string;

  @Field(() => String, { description: 'Its name, with diacritics.' })
  unitName!: string;

  @Field(() => [String], { nullable: 'items', description: 'One cell a column, exact: counts and VND as digits, rates as "88.38" (null when undefined).' })
  values!: (string | null)[];
}

@Directive('@shareable')
@ObjectType({
  description:
    'Units × periods × indicators in one answer, ready for a spreadsheet or a chart: one row a unit, one column a period and indicator (periods first). The analytics API of DHIS2 calls these dimensions ou, pe and dx.',
})
export class IndicatorGrid {
  @Field(() => DateScalar, { description: 'The date whose hierarchy every cell rolls up on.' })
  asOf!: string;

  @Field(() => [IndicatorGridColumn], { description: 'The columns: for each period in the order asked, each indicator in the order asked.' })
  columns!: IndicatorGridColumn[];

  @Field(() => [IndicatorGridRow], { description: 'The rows: the units in the order asked, or of the level in Vietnamese alphabetical order.' })
  rows!: IndicatorGridRow[];
}

/** carriedOver → CARRIED_OVER: the enum value of a form column. */
const enumName = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * `<name>Grid`: the report's indicators (the columns of its form) for many units and periods
 * in one answer and one SQL statement: the months of the periods' whole range are read once
 * for every unit, and each period is summed from them.
 */
export function reportGridResolver(spec: ReportSpec, form: FormSpec<object>): ClassType {
  const indicatorEnum: Record<string, string> = Object.fromEntries(form.columns.map((c) => [enumName(c.key), enumName(c.key)]));
  const byName = new Map<string, FormColumn<object>>(form.columns.map((c) => [enumName(c.key), c]));
  registerEnumType(indicatorEnum, {
    name: reportTypeName(spec, 'Indicator'),
    description: `An indicator of ${spec.name}Grid: a column of form ${form.number}.`,
    valuesConfig: Object.fromEntries(form.columns.map((c) => [enumName(c.key), { description: `${c.labelEn} (${c.label}).` }])),
  });

  @Resolver()
  class GridResolver {
    @Query(() => IndicatorGrid, {
      name: `${spec.name}Grid`,
      description: `Indicators of form ${form.number} for units × periods in one answer (one SQL statement): give \`units\` (ids), or \`level\` (and \`within\`, a unit they are under); every cell on the hierarchy of \`asOf\` (default: the last period's end). Combine with the other reports' grids in one request for a cross-report table.`,
    })
    async grid(
      @Arg('periods', () => [PeriodInput], { description: `The periods, at most ${MAX_GRID_PERIODS}.` }) periods: PeriodInput[],
      @Arg('indicators', () => [indicatorEnum], { description: 'The indicators, in the order of the columns.' }) indicators: string[],
      @Arg('units', () => [ID], { nullable: true, description: 'The units, in the order of the rows.' }) units: string[] | undefined,
      @Arg('level', () => RankingLevel, { nullable: true, description: 'Or: every unit of this level valid at `asOf`.' }) level: RankingLevel | undefined,
      @Arg('within', () => ID, { nullable: true, description: 'With `level`: only the units under this one.' }) within: string | undefined,
      @Arg('asOf', () => DateScalar, { nullable: true, description: 'Date whose hierarchy every cell rolls up on.' }) asOf: string | undefined,
      @Ctx() ctx: ReportContext,
    ): Promise<IndicatorGrid> {
      if (!periods.length || periods.length > MAX_GRID_PERIODS)
        throw userError(ErrorCode.BAD_USER_INPUT, `Give 1 to ${MAX_GRID_PERIODS} periods.`, { field: 'periods' });
      if (!indicators.length) throw userError(ErrorCode.BAD_USER_INPUT, 'Give at least one indicator.', { field: 'indicators' });
      if ((units === undefined || units === null) === (level === undefined || level === null))
        throw userError(ErrorCode.BAD_USER_INPUT, 'Give either units (ids) or a level (with within, optionally).', { field: 'units' });
      const resolved = periods.map((p) => resolvePeriod(p));
      const on = asOf ?? resolved.reduce((m, p) => (p.end > m ? p.end : m), resolved[0]!.end);
      let ids: number[];
      if (units) {
        ids = units.map(parseUnitId);
        await Promise.all([...new Set(ids)].map((id) => ctx.access.assertRead(id, spec.family)));
      } else {
        const under = within === undefined || within === null ? undefined : parseUnitId(within);
        if (under === undefined) ctx.access.assertRanking(level!, spec.family);
        else await ctx.access.assertRead(under, spec.family);
        ids = await unitsOfLevel(ctx.db, level!, on, under);
      }
      if (ids.length * resolved.length * indicators.length > MAX_GRID_CELLS)
        throw userError(
          ErrorCode.BAD_USER_INPUT,
          `The grid would hold ${ids.length * resolved.length * indicators.length} cells, over ${MAX_GRID_CELLS}; ask fewer units, periods or indicators.`,
          { field: 'units' },
        );
      const names = new Map(
        (await readQuery<{ id: number; name: string }>(ctx.db, `SELECT id, name FROM org_units.org_unit WHERE id = ANY($1::int[])`, [ids])).map((r) => [
          r.id,
          r.name,
        ]),
      );
      for (const id of ids) if (!names.has(id)) throw userError(ErrorCode.UNIT_NOT_FOUND, `No organizational unit has id "${id}".`, { id: String(id) });
      if (!units) ids.sort((a, b) => vietnameseOrder.compare(names.get(a)!, names.get(b)!) || a - b);
      const columns = resolved.flatMap((p) => indicators.map((i) => ({ period: p, indicator: i, column: byName.get(i)! })));
      const range = rangeOf(resolved);
      const loaders = reportLoaders(ctx, spec);
      const loader = form.readsBuckets ? loaders.monthsFull : loaders.monthsTotals;
      const months = await Promise.all(ids.map((unitId) => loader.load({ unitId, range, asOf: on })));
      const rows = ids.map((unitId, r) => {
        const byBucket = months[r]!;
        const perPeriod = resolved.map((p) => {
          const rows = new Map([...byBucket].map(([bucket, m]) => [bucket, rowOfPeriod(spec.rollup, m, p)]));
          return { rows, figures: spec.figures(rows.get(0)!) };
        });
        return {
          unitId: String(unitId),
          unitName: names.get(unitId)!,
          values: columns.map(({ column }, c) => {
            const { rows: bucketRows, figures } = perPeriod[Math.floor(c / indicators.length)]!;
            return formCell(column.kind, column.value(figures, bucketRows));
          }),
        };
      });
      return {
        asOf: on,
        columns: columns.map(({ period, indicator, column }) => ({
          indicator,
          label: column.label,
          labelEn: column.labelEn,
          kind: column.kind as ReportFormValueKind,
          periodStart: period.start,
          periodEnd: period.end,
          periodLabel: period.label,
        })),
        rows,
      };
    }
  }
  return GridResolver;
}
