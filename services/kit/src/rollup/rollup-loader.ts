import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { LocalDate } from '../time/local-date';
import type { Period } from '../time/period';
import { queryMonthlyRollup, type MonthlyRows } from './monthly-query';
import { queryRollup, type RollupRow } from './rollup-query';
import type { RollupSpec } from './rollup-spec';

export interface RollupKey {
  unitId: number;
  period: Period;
  asOf: LocalDate;
}

/** What a range read takes: the months of a range on one hierarchy, for one unit of a batch. */
export interface MonthsKey {
  unitId: number;
  range: Pick<Period, 'firstMonth' | 'lastMonth'>;
  asOf: LocalDate;
}

/**
 * A DataLoader over units: the keys of one tick are grouped by everything but the unit
 * (`groupOf`), and each group is one `read` of all its units, whatever their number.
 */
function unitBatchLoader<K extends { unitId: number }, V>(
  groupOf: (key: K) => string,
  read: (first: K, unitIds: number[]) => Promise<Map<number, V>>,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, { first: K; ids: Set<number> }>();
      for (const k of keys) {
        const g = groupOf(k);
        const group = groups.get(g) ?? { first: k, ids: new Set<number>() };
        group.ids.add(k.unitId);
        groups.set(g, group);
      }
      const results = new Map<string, V>();
      await Promise.all(
        [...groups.entries()].map(async ([g, { first, ids }]) => {
          for (const [id, value] of await read(first, [...ids])) results.set(`${g}|${id}`, value);
        }),
      );
      return keys.map((k) => results.get(`${groupOf(k)}|${k.unitId}`)!);
    },
    { cacheKeyFn: (k) => `${groupOf(k)}|${k.unitId}` },
  );
}

/**
 * A per-request DataLoader over a rollup: the keys of one tick are grouped by
 * (period, asOf) and each group is one SQL statement, whatever the number of units.
 */
export function createRollupLoader(db: DataSource, spec: RollupSpec, buckets: readonly number[] = [0]) {
  return unitBatchLoader<RollupKey, Map<number, RollupRow>>(
    (k) => `${k.period.firstMonth}|${k.period.lastMonth}|${k.asOf}`,
    (k, ids) => queryRollup(db, spec, ids, k.period, k.asOf, buckets),
  );
}

/**
 * A per-request DataLoader over a rollup's months: the keys of one tick are grouped by
 * (range, asOf) and each group is one SQL statement (the points of a list of units' series).
 */
export function createMonthsLoader(db: DataSource, spec: RollupSpec, buckets: readonly number[] = [0]) {
  return unitBatchLoader<MonthsKey, Map<number, MonthlyRows>>(
    (k) => `${k.range.firstMonth}|${k.range.lastMonth}|${k.asOf}`,
    (k, ids) => queryMonthlyRollup(db, spec, ids, k.range, k.asOf, buckets),
  );
}
