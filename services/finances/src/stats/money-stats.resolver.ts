import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateScalar, NATIONAL_UNIT_ID, PeriodInput, achievement, parseUnitId, previousYear, statisticalYearOf, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { MoneyStats } from './money-figures.type';
import { moneyStats } from './money-rollup';
import { OrgUnit } from './org-unit.type';

@Resolver(() => OrgUnit)
export class MoneyStatsResolver {
  @FieldResolver(() => MoneyStats, { description: 'Money indicators (VND) of this unit and everything under it for a period, on the hierarchy valid at `asOf`; old units count through their lineage.' })
  async moneyStats(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, { description: 'The reporting period.' }) period: PeriodInput,
    @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to roll up on. Default: the period's last day." }) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<MoneyStats> {
    const scope = statsScope(period, asOf);
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'money');
    const year = statisticalYearOf(scope.period.end);
    const [rows, previous, own, national] = await Promise.all([
      ctx.loaders.moneyRollup.load({ unitId, ...scope }),
      ctx.loaders.moneyRollup.load({ unitId, period: previousYear(scope.period), asOf: scope.asOf }),
      ctx.loaders.targets.load(`${unitId}|${year}`),
      ctx.loaders.targets.load(`${NATIONAL_UNIT_ID}|${year}`),
    ]);
    const figures = moneyStats(rows, previous, scope, achievement(null, null, null));
    figures.target = achievement(figures.completionRate, own?.moneyRate ?? null, national?.moneyRate ?? null);
    return figures;
  }
}
