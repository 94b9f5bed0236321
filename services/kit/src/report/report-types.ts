import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { TargetAchievement } from '../stats/stats-types';
import type { ReportSpec } from './report-spec';

/** The GraphQL types a report derives from its figures. */
export interface ReportTypes {
  /** `CaseStats`: the figures, the period, extras, the breakdown, previous year, change, target. */
  Stats: ClassType;
  /** `CategoryCaseFigures`: the figures of one bucket with its key. */
  Item: ClassType;
  /** `CaseRankingRow`: rank, unit, value, figures. */
  Row: ClassType;
  /** The GraphQL names of the types, the figures' included. */
  names: { stats: string; item: string; row: string; figures: string };
}

/** Declares field `name` on `target` as type-graphql's @Field would, in call order. */
function field(target: ClassType, name: string, type: () => unknown, options: { description: string; nullable?: boolean }): void {
  Field(type as never, options)(target.prototype, name);
}

/**
 * The report's types, made once a subgraph (each subgraph has its own OrgUnit class). The
 * classes extend the report's figures class, so its fields come first and keep its order.
 */
export function reportTypes(spec: ReportSpec, OrgUnit: ClassType): ReportTypes {
  const { Figures, breakdown, stats, ranking } = spec;

  class Item extends (Figures as ClassType) {}
  field(Item, breakdown.key, () => breakdown.keyType, { description: breakdown.keyDescription });
  ObjectType(breakdown.type, { description: breakdown.typeDescription })(Item);

  class Stats extends (Figures as ClassType) {}
  field(Stats, 'periodStart', () => DateScalar, { description: 'First day of the period (YYYY-MM-DD).' });
  field(Stats, 'periodEnd', () => DateScalar, { description: 'Last day of the period (YYYY-MM-DD).' });
  field(Stats, 'asOf', () => DateScalar, { description: 'Date whose hierarchy the figures were rolled up on.' });
  for (const extra of spec.extras ?? []) field(Stats, extra.name, extra.type, { description: extra.description });
  field(Stats, breakdown.field, () => [Item], { description: breakdown.description });
  field(Stats, 'previousYear', () => Figures, { description: stats.previousYear });
  field(Stats, 'change', () => Figures, { description: stats.change });
  if (spec.target) field(Stats, 'target', () => TargetAchievement, { description: spec.target.description });
  ObjectType(stats.type, { description: stats.description })(Stats);

  class Row {}
  field(Row, 'rank', () => Int, { description: ranking.row.rank });
  field(Row, 'unit', () => OrgUnit, { description: 'The unit.' });
  field(Row, 'value', () => String, { nullable: true, description: ranking.row.value });
  field(Row, 'figures', () => Figures, { description: ranking.row.figures });
  ObjectType(ranking.row.type, { description: ranking.row.description })(Row);

  return { Stats, Item, Row, names: { stats: stats.type, item: breakdown.type, row: ranking.row.type, figures: spec.figuresType } };
}
