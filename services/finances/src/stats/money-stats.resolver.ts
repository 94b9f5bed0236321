import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { DateScalar, NATIONAL_UNIT_ID, PeriodInput, achievement, parseUnitId, previousYear, selects, statisticalYearOf, statsScope } from '@thads/kit';
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
    @Info() info: GraphQLResolveInfo,
  ): Promise<MoneyStats> {
    const scope = statsScope(period, asOf);
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'money');
    const year = statisticalYearOf(scope.period.end);
    // Only what the selection asks for is read: the previous year and the targets are extra statements.
    const wantsPrevious = selects(info, 'previousYear', 'change');
    const wantsTarget = selects(info, 'target');
    const loader = selects(info, 'byCategory', 'stateBudgetCollected') ? ctx.loaders.moneyRollup : ctx.loaders.moneyTotals;
    const [rows, previous, own, national] = await Promise.all([
      loader.load({ unitId, ...scope }),
      wantsPrevious ? loader.load({ unitId, period: previousYear(scope.period), asOf: scope.asOf }) : undefined,
      wantsTarget ? ctx.loaders.targets.load(`${unitId}|${year}`) : null,
      wantsTarget ? ctx.loaders.targets.load(`${NATIONAL_UNIT_ID}|${year}`) : null,
    ]);
    const figures = moneyStats(rows, previous ?? rows, scope);
    return { ...figures, target: achievement(figures.completionRate, own?.moneyRate ?? null, national?.moneyRate ?? null) };
  }
}
