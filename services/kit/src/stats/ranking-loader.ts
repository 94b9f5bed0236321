import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { queryRollup, type RollupRow } from '../rollup/rollup-query';
import type { RollupSpec } from '../rollup/rollup-spec';
import type { StatsScope } from '../rollup/stats-args';
import { rank, type RankedRow } from './ranking';
import { isRankable, levelOf, unitsOfLevel, type RankingLevel } from './units-of-level';

export interface RankingKey<M extends string> {
  level: RankingLevel;
  metric: M;
  scope: StatsScope;
  /** Only the units under this one (a province ranking its own wards); the whole country when absent. */
  within?: number;
}

/**
 * Per-request loader of whole rankings: all units of a level valid at asOf (under `within`), their figures
 * from one grouped rollup statement, ranked by the metric (ties share a rank).
 */
export function createRankingLoader<M extends string, F>(
  db: DataSource,
  spec: RollupSpec,
  buckets: readonly number[],
  figures: (rows: Map<number, RollupRow>) => F,
  value: (figures: F, metric: M) => number | bigint | null,
) {
  return new DataLoader<RankingKey<M>, RankedRow<F>[], string>(
    (keys) =>
      Promise.all(
        keys.map(async ({ level, metric, scope, within }) => {
          const ids = await unitsOfLevel(db, level, scope.asOf, within);
          const byUnit = await queryRollup(db, spec, ids, scope.period, scope.asOf, buckets);
          return rank(
            ids.map((unitId) => {
              const item = figures(byUnit.get(unitId)!);
              return { unitId, item, value: value(item, metric) };
            }),
          );
        }),
      ),
    { cacheKeyFn: (k) => `${k.level}|${k.metric}|${k.scope.period.firstMonth}|${k.scope.period.lastMonth}|${k.scope.asOf}|${k.within ?? ''}` },
  );
}

/** One unit's position in the ranking of its own level; null for a level that is not ranked or a unit not in it. */
export async function rankPositionOf<M extends string, F>(
  db: DataSource,
  loader: DataLoader<RankingKey<M>, RankedRow<F>[], string>,
  unitId: number,
  metric: M,
  scope: StatsScope,
): Promise<{ rank: number; of: number; value: string | null } | null> {
  const level = await levelOf(db, unitId);
  if (!level || !isRankable(level)) return null;
  const rows = await loader.load({ level: level as RankingLevel, metric, scope });
  const mine = rows.find((r) => r.unitId === unitId);
  return mine ? { rank: mine.rank, of: rows.length, value: mine.value === null ? null : String(mine.value) } : null;
}

/** Ranking rows as GraphQL rows: the unit as an entity reference. */
export function rankingRows<F>(rows: RankedRow<F>[]): { rank: number; unit: { id: string }; value: string | null; figures: F }[] {
  return rows.map((r) => ({ rank: r.rank, unit: { id: String(r.unitId) }, value: r.value === null ? null : String(r.value), figures: r.item }));
}
