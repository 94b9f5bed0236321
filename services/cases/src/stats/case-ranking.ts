import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { DateScalar, PeriodInput, RankPosition, RankingLevel, parseUnitId, rankPositionOf, rankingRows, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { CaseFigures } from './case-figures.type';
import { OrgUnit } from './org-unit.type';

export enum CaseRankingMetric {
  COMPLETION_RATE = 'COMPLETION_RATE',
  DONE = 'DONE',
  ENFORCEABLE_SHARE = 'ENFORCEABLE_SHARE',
}

registerEnumType(CaseRankingMetric, {
  name: 'CaseRankingMetric',
  description: 'What units are ranked by, higher first.',
  valuesConfig: {
    COMPLETION_RATE: { description: 'The case completion rate (done ÷ enforceable): the "rank in cases" of the ministry’s reports.' },
    DONE: { description: 'The number of cases done.' },
    ENFORCEABLE_SHARE: { description: 'The share of cases to enforce that are enforceable.' },
  },
});

export function caseMetric(f: CaseFigures, metric: CaseRankingMetric): number | null {
  switch (metric) {
    case CaseRankingMetric.COMPLETION_RATE:
      return f.completionRate;
    case CaseRankingMetric.DONE:
      return f.done;
    case CaseRankingMetric.ENFORCEABLE_SHARE:
      return f.enforceableShare;
  }
}

@ObjectType({ description: 'One unit’s row in a case ranking.' })
export class CaseRankingRow {
  @Field(() => Int, { description: 'Position, 1 for the best; equal values share a rank (1, 2, 2, 4). Units with no value (nothing enforceable) come last.' })
  rank!: number;

  @Field(() => OrgUnit, { description: 'The unit.' })
  unit!: OrgUnit;

  @Field(() => String, { nullable: true, description: 'The metric’s value: a percentage with 2 decimals or a count; null when undefined.' })
  value!: string | null;

  @Field(() => CaseFigures, { description: 'The unit’s case indicators for the period.' })
  figures!: CaseFigures;
}

const periodArg = { description: 'The reporting period.' };
const asOfArg = { nullable: true, description: "Date whose units and hierarchy to use. Default: the period's last day." };

@Resolver(() => OrgUnit)
export class CaseRankingResolver {
  @Query(() => [CaseRankingRow], { description: 'The units of a level (provinces by default) ranked by a case metric for a period, one grouped query over pre-aggregated figures.' })
  async caseRanking(
    @Arg('period', () => PeriodInput, periodArg) period: PeriodInput,
    @Arg('metric', () => CaseRankingMetric, { defaultValue: CaseRankingMetric.COMPLETION_RATE, description: 'What to rank by.' }) metric: CaseRankingMetric,
    @Arg('level', () => RankingLevel, { defaultValue: RankingLevel.PROVINCE, description: 'Which units to rank.' }) level: RankingLevel,
    @Arg('asOf', () => DateScalar, asOfArg) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<CaseRankingRow[]> {
    ctx.access.assertRanking(level, 'cases');
    return rankingRows(await ctx.loaders.caseRanking.load({ level, metric, scope: statsScope(period, asOf) }));
  }

  @FieldResolver(() => RankPosition, { nullable: true, description: 'This unit’s position among the units of its level by a case metric; null for the ministry or a unit not valid at `asOf`.' })
  async caseRank(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, periodArg) period: PeriodInput,
    @Arg('metric', () => CaseRankingMetric, { defaultValue: CaseRankingMetric.COMPLETION_RATE, description: 'What to rank by.' }) metric: CaseRankingMetric,
    @Arg('asOf', () => DateScalar, asOfArg) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<RankPosition | null> {
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'cases');
    return rankPositionOf(ctx.db, ctx.loaders.caseRanking, unitId, metric, statsScope(period, asOf));
  }
}
