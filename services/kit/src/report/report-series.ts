import { Arg, Ctx, Field, FieldResolver, ObjectType, Resolver, Root, registerEnumType, type ClassType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { rowOfPeriod } from '../rollup/monthly-query';
import { parseUnitId } from '../rollup/stats-args';
import type { LocalDate } from '../time/local-date';
import { seriesPeriods, type Period, type SeriesStepKind } from '../time/period';
import { reportLoaders, type ReportContext } from './report-loaders';
import { reportTypeName, type ReportSpec } from './report-spec';

export enum SeriesStep {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}

registerEnumType(SeriesStep, {
  name: 'SeriesStep',
  description: 'How a series steps through its range.',
  valuesConfig: {
    MONTH: { description: 'One point a month.' },
    QUARTER: { description: 'One point a quarter of the statistical year (October–December is the first).' },
    YEAR: { description: 'One point a statistical year (1 October – 30 September).' },
  },
});

/** The smallest range of months holding every period. */
export function rangeOf(periods: readonly Period[]): { firstMonth: LocalDate; lastMonth: LocalDate } {
  return {
    firstMonth: periods.reduce((m, p) => (p.firstMonth < m ? p.firstMonth : m), periods[0]!.firstMonth),
    lastMonth: periods.reduce((m, p) => (p.lastMonth > m ? p.lastMonth : m), periods[0]!.lastMonth),
  };
}

/**
 * `<name>Series` on the subgraph's OrgUnit: the report's figures for each month, quarter or
 * statistical year of a range, all on one hierarchy (`asOf`, by default the range's last day,
 * so that the points compare), read in one statement whatever the number of points.
 */
export function reportSeriesResolver(spec: ReportSpec, OrgUnit: ClassType): ClassType {
  const pointName = reportTypeName(spec, 'SeriesPoint');

  @ObjectType(pointName, { description: `One point of a ${spec.name} series: a period and the figures of it.` })
  class Point {
    @Field(() => DateScalar, { description: 'First day of the period.' })
    periodStart!: string;

    @Field(() => DateScalar, { description: 'Last day of the period.' })
    periodEnd!: string;

    @Field(() => String, { description: 'The step the point stands for: "2026-11", "quarter 2 of statistical year 2027", "statistical year 2027".' })
    label!: string;

    @Field(() => spec.Figures, { description: 'The figures of the period (from 1 October of its statistical year when the series is cumulative).' })
    figures!: object;
  }

  @Resolver(() => OrgUnit)
  class SeriesResolver {
    @FieldResolver(() => [Point], {
      name: `${spec.name}Series`,
      nullable: true,
      description: `The ${spec.name} figures of this unit (and everything under it) for each step of a range of months, on one hierarchy; one read whatever the number of points. Null only when its service is not answering (SUBGRAPH_UNAVAILABLE).`,
    })
    async series(
      @Root() unit: { id: string },
      @Arg('from', () => String, { description: 'First month, YYYY-MM.' }) from: string,
      @Arg('to', () => String, { description: 'Last month, YYYY-MM (inclusive).' }) to: string,
      @Arg('step', () => SeriesStep, { defaultValue: SeriesStep.MONTH, description: 'One point a month, quarter or statistical year.' }) step: SeriesStep,
      @Arg('cumulative', () => Boolean, {
        defaultValue: false,
        description: 'Each point from 1 October of its statistical year to its end, as the ministry reports count ("the first N months"); else its step only.',
      })
      cumulative: boolean,
      @Arg('asOf', () => DateScalar, { nullable: true, description: 'Date whose hierarchy every point rolls up on. Default: the last day of the range.' })
      asOf: string | undefined,
      @Ctx() ctx: ReportContext,
    ): Promise<Point[]> {
      const unitId = parseUnitId(unit.id);
      const periods = seriesPeriods(from, to, step as SeriesStepKind, cumulative);
      await ctx.access.assertRead(unitId, spec.family);
      const range = rangeOf(periods);
      const on = asOf ?? periods.at(-1)!.end;
      const months = await reportLoaders(ctx, spec).monthsTotals.load({ unitId, range, asOf: on });
      return periods.map((p) => ({
        periodStart: p.start,
        periodEnd: p.end,
        label: p.label,
        figures: spec.figures(rowOfPeriod(spec.rollup, months.get(0)!, p)),
      }));
    }
  }
  return SeriesResolver;
}
