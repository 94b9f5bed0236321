import type { GraphQLResolveInfo } from 'graphql';
import type { ClassType } from 'type-graphql';
import type { LeanResolvers } from '../graphql/federation';
import type { PeriodSpec } from '../time/period';
import type { ReportContext } from './report-loaders';
import { reportFormResolver } from './report-form';
import { reportGridResolver } from './report-grid';
import { reportSeriesResolver } from './report-series';
import { reportResolvers } from './report-resolvers';
import type { ReportSpec } from './report-spec';
import type { FormSpec } from './report-form-spec';
import { resolveStats } from './report-stats';
import { reportTypes, type ReportTypes } from './report-types';

/** What a subgraph gets of a report: its types and its resolvers, on the subgraph's own OrgUnit. */
export interface ReportModule extends ReportTypes {
  spec: ReportSpec;
  /** The decorated resolver classes: they define the fields in the schema. */
  resolvers: ClassType[];
  /**
   * The same stats field as a plain resolver, and the report's plain data types: a list of
   * thousands of units resolves without type-graphql's per-call argument conversion.
   */
  lean: Required<LeanResolvers>;
}

/** Builds a report's types and resolvers for one subgraph: call it once a subgraph schema. */
export function reportModule(spec: ReportSpec, OrgUnit: ClassType): ReportModule {
  const types = reportTypes(spec, OrgUnit);
  const stats = (unit: { id: string }, args: { period: PeriodSpec; asOf?: string | null }, ctx: ReportContext, info: GraphQLResolveInfo) =>
    resolveStats(spec, unit, args.period, args.asOf, ctx, info);
  return {
    spec,
    ...types,
    resolvers: [
      ...reportResolvers(spec, OrgUnit, types),
      reportSeriesResolver(spec, OrgUnit),
      ...(spec.form ? [reportFormResolver(spec, spec.form as FormSpec<object>), reportGridResolver(spec, spec.form as FormSpec<object>)] : []),
    ],
    lean: {
      resolvers: { OrgUnit: { [`${spec.name}Stats`]: stats } },
      plainTypes: [types.names.stats, types.names.item, types.names.row, types.names.figures, 'TargetAchievement', 'RankPosition'],
    },
  };
}
