import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { DateScalar, PeriodInput, parseUnitId, previousYear, selects, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { ComplaintStats } from './complaint-figures.type';
import { complaintStats } from './complaint-rollup';
import { OrgUnit } from './org-unit.type';

@Resolver(() => OrgUnit)
export class ComplaintStatsResolver {
  @FieldResolver(() => ComplaintStats, { description: 'Citizen reception and petition indicators of this unit and everything under it for a period, on the hierarchy valid at `asOf`; old units count through their lineage.' })
  async complaintStats(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, { description: 'The reporting period.' }) period: PeriodInput,
    @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to roll up on. Default: the period's last day." }) asOf: string | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ComplaintStats> {
    const scope = statsScope(period, asOf);
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'complaints');
    const loader = selects(info, 'byKind') ? ctx.loaders.complaintRollup : ctx.loaders.complaintTotals;
    const [rows, previous] = await Promise.all([
      loader.load({ unitId, ...scope }),
      selects(info, 'previousYear', 'change') ? loader.load({ unitId, period: previousYear(scope.period), asOf: scope.asOf }) : undefined,
    ]);
    return complaintStats(rows, previous ?? rows, scope);
  }
}
