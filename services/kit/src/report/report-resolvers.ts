import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root, type ClassType } from 'type-graphql';
import { PeriodInput } from '../graphql/period.input';
import { DateScalar } from '../graphql/scalars';
import { parseUnitId, statsScope } from '../rollup/stats-args';
import { rankPositionOf, rankingRows } from '../stats/ranking-loader';
import { RankPosition } from '../stats/stats-types';
import { RankingLevel } from '../stats/units-of-level';
import { reportLoaders, type ReportContext } from './report-loaders';
import type { ReportSpec } from './report-spec';
import { resolveStats } from './report-stats';
import type { ReportTypes } from './report-types';

const PERIOD = { description: 'The reporting period.' };
const STATS_AS_OF = { nullable: true, description: "Date whose hierarchy to roll up on. Default: the period's last day." };
const RANKING_AS_OF = { nullable: true, description: "Date whose units and hierarchy to use. Default: the period's last day." };
const METRIC = 'What to rank by.';
/** Why a field another service adds to OrgUnit is nullable. */
const UNAVAILABLE =
  'Null only when its service is not answering (an error with code SUBGRAPH_UNAVAILABLE says so), so that the other fields are still answered.';
const WITHIN =
  'Rank only the units of the level under this unit on the hierarchy of `asOf`: a province ranks its own wards with `level: WARD, within: <its id>`. Anyone who may read the unit may rank under it. Default: the whole country.';

/**
 * The report's resolvers on a subgraph's OrgUnit (type-graphql's generic resolvers: classes
 * made by a function, fields named from the spec): `<name>Stats` and `<name>Rank` on every
 * unit, and the `<name>Ranking` query.
 */
export function reportResolvers(spec: ReportSpec, OrgUnit: ClassType, types: ReportTypes): ClassType[] {
  const { name, ranking } = spec;
  const Metric = ranking.metric.enum;

  // The ranking first: its fields and types then print where they always have.
  @Resolver(() => OrgUnit)
  class RankingResolver {
    @Query(() => [types.Row], { name: `${name}Ranking`, description: ranking.query })
    async ranking(
      @Arg('period', () => PeriodInput, PERIOD) period: PeriodInput,
      @Arg('metric', () => Metric, { defaultValue: ranking.metric.default, description: METRIC }) metric: string,
      @Arg('level', () => RankingLevel, { defaultValue: RankingLevel.PROVINCE, description: 'Which units to rank.' }) level: RankingLevel,
      @Arg('asOf', () => DateScalar, RANKING_AS_OF) asOf: string | undefined,
      @Arg('within', () => ID, { nullable: true, description: WITHIN }) within: string | undefined,
      @Ctx() ctx: ReportContext,
    ): Promise<unknown[]> {
      const under = within === undefined || within === null ? undefined : parseUnitId(within);
      // Units under one's own unit are one's own to rank; the country's are the national ranking's.
      if (under === undefined) ctx.access.assertRanking(level, spec.family);
      else await ctx.access.assertRead(under, spec.family);
      const rows = rankingRows(await reportLoaders(ctx, spec).ranking.load({ level, metric, scope: statsScope(period, asOf), within: under }));
      return rows.map((r) => ({ ...r, figures: r.figures.figures }));
    }

    @FieldResolver(() => RankPosition, { name: `${name}Rank`, nullable: true, description: ranking.rank })
    async rank(
      @Root() unit: { id: string },
      @Arg('period', () => PeriodInput, PERIOD) period: PeriodInput,
      @Arg('metric', () => Metric, { defaultValue: ranking.metric.default, description: METRIC }) metric: string,
      @Arg('asOf', () => DateScalar, RANKING_AS_OF) asOf: string | undefined,
      @Ctx() ctx: ReportContext,
    ): Promise<RankPosition | null> {
      const unitId = parseUnitId(unit.id);
      await ctx.access.assertRead(unitId, spec.family);
      return rankPositionOf(ctx.db, reportLoaders(ctx, spec).ranking, unitId, metric, statsScope(period, asOf));
    }
  }

  @Resolver(() => OrgUnit)
  class StatsResolver {
    @FieldResolver(() => types.Stats, { name: `${name}Stats`, nullable: true, description: `${spec.stats.field} ${UNAVAILABLE}` })
    stats(
      @Root() unit: { id: string },
      @Arg('period', () => PeriodInput, PERIOD) period: PeriodInput,
      @Arg('asOf', () => DateScalar, STATS_AS_OF) asOf: string | undefined,
      @Ctx() ctx: ReportContext,
      @Info() info: GraphQLResolveInfo,
    ): Promise<Record<string, unknown>> {
      return resolveStats(spec, unit, period, asOf, ctx, info);
    }
  }

  return [StatsResolver, RankingResolver];
}
