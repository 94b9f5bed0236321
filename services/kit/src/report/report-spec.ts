import type { ClassType } from 'type-graphql';
import type { GraphQLScalarType } from 'graphql';
import type { Family } from '../auth/identity';
import type { RollupRow } from '../rollup/rollup-query';
import type { RollupSpec } from '../rollup/rollup-spec';
import type { Targets } from '../stats/targets';
import type { FormSpec } from './report-form-spec';

/** A unit's rollup rows for one period, by bucket (0: everything). */
export type Rows = ReadonlyMap<number, RollupRow>;

/** A figure of the stats type computed from the rows beside the report's own figures (money's state-budget collections). */
export interface ExtraFigure {
  name: string;
  type: () => GraphQLScalarType;
  description: string;
  /** Buckets it reads besides 0: when selected, the whole breakdown is read. */
  needsBreakdown?: boolean;
  value(rows: Rows): unknown;
}

/**
 * One report of the hub (case, money, complaint indicators): its rollup, its figures and
 * how GraphQL shows them. From it the kit derives the stats type with its breakdown, the
 * previous year and the change, the ranking and its row type, the per-request loaders and
 * the resolvers of `<name>Stats`, `<name>Ranking` and `<name>Rank`.
 */
export interface ReportSpec<F extends object = object, M extends string = string> {
  /** Prefix of the fields: `case` gives caseStats, caseRanking and caseRank. */
  name: string;
  /** The family of fields an integrator's key must grant. */
  family: Family;
  rollup: RollupSpec;
  /** The figures' GraphQL type (and its name), and how a rollup row becomes its value. */
  Figures: ClassType<F>;
  figuresType: string;
  figures(row: RollupRow): F;
  stats: {
    /** Name and description of the stats type, and of OrgUnit's field. */
    type: string;
    description: string;
    field: string;
    previousYear: string;
    change: string;
  };
  /** The same figures per bucket: `byCategory`, `byKind`. */
  breakdown: {
    field: string;
    description: string;
    type: string;
    typeDescription: string;
    /** The field naming the bucket, its enum, and each bucket's value. */
    key: string;
    keyType: object;
    keyDescription: string;
    buckets: readonly (readonly [string, number])[];
  };
  /** Fields between the period and the breakdown, in this order. */
  extras?: readonly ExtraFigure[];
  /** A rate compared with the targets of finances' unit_target. */
  target?: { description: string; rate(figures: F): number | null; of(targets: Targets): number };
  /** The official report form this report fills, served as its own query. */
  form?: FormSpec<F>;
  ranking: {
    /** The registered enum of what units are ranked by, its default and each metric's value. */
    metric: {
      enum: object;
      default: M;
      /** A unit's value of a metric; null when undefined for it (0 ÷ 0): ranked last. */
      value(metric: M, figures: F, rows: Rows): number | bigint | null;
    };
    /** Buckets the metrics read (0 when omitted). */
    buckets?: readonly number[];
    query: string;
    rank: string;
    row: { type: string; description: string; rank: string; value: string; figures: string };
  };
}

/** A GraphQL type name derived from the report's: `case` and `SeriesPoint` give `CaseSeriesPoint`. */
export function reportTypeName(spec: Pick<ReportSpec, 'name'>, suffix: string): string {
  return `${spec.name.charAt(0).toUpperCase()}${spec.name.slice(1)}${suffix}`;
}

/** Declares a report (a typed identity: the spec is the module's input, checked here). */
export function defineReport<F extends object, M extends string>(spec: ReportSpec<F, M>): ReportSpec<F, M> {
  return spec;
}
