import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { LocalDate } from '../time/local-date';
import type { Period } from '../time/period';
import { queryRollup, type RollupRow } from './rollup-query';
import type { RollupSpec } from './rollup-spec';

export interface RollupKey {
  unitId: number;
  period: Period;
  asOf: LocalDate;
}

/**
 * A per-request DataLoader over a rollup: the keys of one tick are grouped by
 * (period, asOf) and each group is one SQL statement, whatever the number of units.
 */
export function createRollupLoader(db: DataSource, spec: RollupSpec, buckets: readonly number[] = [0]) {
  return new DataLoader<RollupKey, Map<number, RollupRow>, string>(
    async (keys) => {
      const groups = new Map<string, { period: Period; asOf: LocalDate; ids: Set<number> }>();
      for (const k of keys) {
        const g = `${k.period.firstMonth}|${k.period.lastMonth}|${k.asOf}`;
        const group = groups.get(g) ?? { period: k.period, asOf: k.asOf, ids: new Set<number>() };
        group.ids.add(k.unitId);
        groups.set(g, group);
      }
      const results = new Map<string, Map<number, RollupRow>>();
      await Promise.all(
        [...groups.entries()].map(async ([g, group]) => {
          const byUnit = await queryRollup(db, spec, [...group.ids], group.period, group.asOf, buckets);
          for (const [id, rows] of byUnit) results.set(`${g}|${id}`, rows);
        }),
      );
      return keys.map((k) => results.get(`${k.period.firstMonth}|${k.period.lastMonth}|${k.asOf}|${k.unitId}`)!);
    },
    { cacheKeyFn: (k) => `${k.period.firstMonth}|${k.period.lastMonth}|${k.asOf}|${k.unitId}` },
  );
}
