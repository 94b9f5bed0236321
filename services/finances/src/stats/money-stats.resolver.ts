import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateScalar, PeriodInput, parseUnitId, statsScope } from '@thads/kit';
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
    const rows = await ctx.loaders.moneyRollup.load({ unitId: parseUnitId(unit.id), ...scope });
    return moneyStats(rows, scope);
  }
}
