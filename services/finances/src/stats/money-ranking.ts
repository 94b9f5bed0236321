import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { DateScalar, PeriodInput, RankPosition, RankingLevel, parseUnitId, rankPositionOf, rankingRows, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { MoneyFigures } from './money-figures.type';
import { OrgUnit } from './org-unit.type';

export enum MoneyRankingMetric {
  COMPLETION_RATE = 'COMPLETION_RATE',
  DONE = 'DONE',
  STATE_BUDGET_COLLECTED = 'STATE_BUDGET_COLLECTED',
}

registerEnumType(MoneyRankingMetric, {
  name: 'MoneyRankingMetric',
  description: 'What units are ranked by, higher first.',
  valuesConfig: {
    COMPLETION_RATE: { description: 'The money completion rate (money done ÷ money enforceable): the "rank in money" of the ministry’s reports.' },
    DONE: { description: 'Money done, VND.' },
    STATE_BUDGET_COLLECTED: { description: 'State-budget revenue collected, VND.' },
  },
});

/** Figures a money ranking needs: the totals, and the state-budget collections. */
export interface MoneyRankingFigures {
  totals: MoneyFigures;
  stateBudgetCollected: bigint;
}

export function moneyMetric(f: MoneyRankingFigures, metric: MoneyRankingMetric): number | bigint | null {
  switch (metric) {
    case MoneyRankingMetric.COMPLETION_RATE:
      return f.totals.completionRate;
    case MoneyRankingMetric.DONE:
      return f.totals.done;
    case MoneyRankingMetric.STATE_BUDGET_COLLECTED:
      return f.stateBudgetCollected;
  }
}

@ObjectType({ description: 'One unit’s row in a money ranking.' })
export class MoneyRankingRow {
  @Field(() => Int, { description: 'Position, 1 for the best; equal values share a rank (1, 2, 2, 4). Units with no value come last.' })
  rank!: number;

  @Field(() => OrgUnit, { description: 'The unit.' })
  unit!: OrgUnit;

  @Field(() => String, { nullable: true, description: 'The metric’s value: a percentage with 2 decimals or an amount in VND; null when undefined.' })
  value!: string | null;

  @Field(() => MoneyFigures, { description: 'The unit’s money indicators for the period.' })
  figures!: MoneyFigures;
}

const periodArg = { description: 'The reporting period.' };
const asOfArg = { nullable: true, description: "Date whose units and hierarchy to use. Default: the period's last day." };

@Resolver(() => OrgUnit)
export class MoneyRankingResolver {
  @Query(() => [MoneyRankingRow], { description: 'The units of a level (provinces by default) ranked by a money metric for a period.' })
  async moneyRanking(
    @Arg('period', () => PeriodInput, periodArg) period: PeriodInput,
    @Arg('metric', () => MoneyRankingMetric, { defaultValue: MoneyRankingMetric.COMPLETION_RATE, description: 'What to rank by.' }) metric: MoneyRankingMetric,
    @Arg('level', () => RankingLevel, { defaultValue: RankingLevel.PROVINCE, description: 'Which units to rank.' }) level: RankingLevel,
    @Arg('asOf', () => DateScalar, asOfArg) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<MoneyRankingRow[]> {
    ctx.access.assertRanking(level, 'money');
    const rows = rankingRows(await ctx.loaders.moneyRanking.load({ level, metric, scope: statsScope(period, asOf) }));
    return rows.map((r) => ({ ...r, figures: r.figures.totals }));
  }

  @FieldResolver(() => RankPosition, { nullable: true, description: 'This unit’s position among the units of its level by a money metric; null for the ministry or a unit not valid at `asOf`.' })
  async moneyRank(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, periodArg) period: PeriodInput,
    @Arg('metric', () => MoneyRankingMetric, { defaultValue: MoneyRankingMetric.COMPLETION_RATE, description: 'What to rank by.' }) metric: MoneyRankingMetric,
    @Arg('asOf', () => DateScalar, asOfArg) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<RankPosition | null> {
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'money');
    return rankPositionOf(ctx.db, ctx.loaders.moneyRanking, unitId, metric, statsScope(period, asOf));
  }
}
