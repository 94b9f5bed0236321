import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { DateScalar, PeriodInput, RankPosition, RankingLevel, parseUnitId, rankPositionOf, rankingRows, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { PetitionFigures } from './complaint-figures.type';
import { OrgUnit } from './org-unit.type';

export enum ComplaintRankingMetric {
  RESOLUTION_RATE = 'RESOLUTION_RATE',
  RESOLVED = 'RESOLVED',
}

registerEnumType(ComplaintRankingMetric, {
  name: 'ComplaintRankingMetric',
  description: 'What units are ranked by, higher first.',
  valuesConfig: {
    RESOLUTION_RATE: { description: 'Petitions resolved ÷ petitions to resolve.' },
    RESOLVED: { description: 'Petitions resolved.' },
  },
});

export function complaintMetric(f: PetitionFigures, metric: ComplaintRankingMetric): number | null {
  return metric === ComplaintRankingMetric.RESOLUTION_RATE ? f.resolutionRate : f.resolved;
}

@ObjectType({ description: 'One unit’s row in a complaint ranking.' })
export class ComplaintRankingRow {
  @Field(() => Int, { description: 'Position, 1 for the best; equal values share a rank. Units with nothing to resolve come last.' })
  rank!: number;

  @Field(() => OrgUnit, { description: 'The unit.' })
  unit!: OrgUnit;

  @Field(() => String, { nullable: true, description: 'The metric’s value; null when undefined.' })
  value!: string | null;

  @Field(() => PetitionFigures, { description: 'The unit’s petition indicators for the period.' })
  figures!: PetitionFigures;
}

const periodArg = { description: 'The reporting period.' };
const asOfArg = { nullable: true, description: "Date whose units and hierarchy to use. Default: the period's last day." };

@Resolver(() => OrgUnit)
export class ComplaintRankingResolver {
  @Query(() => [ComplaintRankingRow], { description: 'The units of a level (provinces by default) ranked by complaint resolution for a period.' })
  async complaintRanking(
    @Arg('period', () => PeriodInput, periodArg) period: PeriodInput,
    @Arg('metric', () => ComplaintRankingMetric, { defaultValue: ComplaintRankingMetric.RESOLUTION_RATE, description: 'What to rank by.' }) metric: ComplaintRankingMetric,
    @Arg('level', () => RankingLevel, { defaultValue: RankingLevel.PROVINCE, description: 'Which units to rank.' }) level: RankingLevel,
    @Arg('asOf', () => DateScalar, asOfArg) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<ComplaintRankingRow[]> {
    ctx.access.assertRanking(level, 'complaints');
    return rankingRows(await ctx.loaders.complaintRanking.load({ level, metric, scope: statsScope(period, asOf) }));
  }

  @FieldResolver(() => RankPosition, { nullable: true, description: 'This unit’s position among the units of its level by complaint resolution; null for the ministry or a unit not valid at `asOf`.' })
  async complaintRank(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, periodArg) period: PeriodInput,
    @Arg('metric', () => ComplaintRankingMetric, { defaultValue: ComplaintRankingMetric.RESOLUTION_RATE, description: 'What to rank by.' }) metric: ComplaintRankingMetric,
    @Arg('asOf', () => DateScalar, asOfArg) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<RankPosition | null> {
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'complaints');
    return rankPositionOf(ctx.db, ctx.loaders.complaintRanking, unitId, metric, statsScope(period, asOf));
  }
}
