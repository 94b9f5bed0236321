import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateScalar, NATIONAL_UNIT_ID, PeriodInput, achievement, parseUnitId, previousYear, statisticalYearOf, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { CaseStats } from './case-figures.type';
import { caseStats } from './case-rollup';
import { OrgUnit } from './org-unit.type';

@Resolver(() => OrgUnit)
export class CaseStatsResolver {
  @FieldResolver(() => CaseStats, { description: 'Case indicators of this unit and everything under it for a period, on the hierarchy valid at `asOf`; old units count through their lineage.' })
  async caseStats(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, { description: 'The reporting period.' }) period: PeriodInput,
    @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to roll up on. Default: the period's last day." }) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<CaseStats> {
    const scope = statsScope(period, asOf);
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'cases');
    const year = statisticalYearOf(scope.period.end);
    const [rows, previous, own, national] = await Promise.all([
      ctx.loaders.caseRollup.load({ unitId, ...scope }),
      ctx.loaders.caseRollup.load({ unitId, period: previousYear(scope.period), asOf: scope.asOf }),
      ctx.loaders.targets.load(`${unitId}|${year}`),
      ctx.loaders.targets.load(`${NATIONAL_UNIT_ID}|${year}`),
    ]);
    const figures = caseStats(rows, previous, scope, achievement(null, null, null));
    figures.target = achievement(figures.completionRate, own?.caseRate ?? null, national?.caseRate ?? null);
    return figures;
  }
}
