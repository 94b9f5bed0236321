import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { LocalDate } from '@thads/kit';
import type { Lineage } from '../lineage/lineage.entity';
import { LineageRepository } from '../lineage/lineage.repository';
import type { OrgUnit } from './org-unit.entity';
import { OrgUnitRepository } from './org-unit.repository';
import { CalendarRepository } from '../calendar/calendar.repository';

export interface DatedKey {
  id: number;
  asOf: LocalDate;
}

/** Per-request loaders: each batch is one SQL statement, results in key order. */
export function createLoaders(db: DataSource) {
  const units = new OrgUnitRepository(db);
  const lineage = new LineageRepository(db);
  return {
    units,
    calendar: new CalendarRepository(db),
    unitById: new DataLoader<number, OrgUnit | null>(async (ids) => {
      const rows = await units.byIds(ids);
      const byId = new Map(rows.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    childrenOf: new DataLoader<DatedKey, OrgUnit[], string>(
      async (keys) => {
        const byDate = new Map<LocalDate, number[]>();
        for (const k of keys) (byDate.get(k.asOf) ?? byDate.set(k.asOf, []).get(k.asOf)!).push(k.id);
        const children = new Map<string, OrgUnit[]>();
        await Promise.all(
          [...byDate].map(async ([asOf, ids]) => {
            for (const child of await units.childrenOf(ids, asOf)) {
              const key = `${child.parentId}|${asOf}`;
              (children.get(key) ?? children.set(key, []).get(key)!).push(child);
            }
          }),
        );
        return keys.map((k) => children.get(`${k.id}|${k.asOf}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.id}|${k.asOf}` },
    ),
    lineageOf: new DataLoader<number, Lineage[]>(async (ids) => {
      const edges = await lineage.touching(ids);
      return ids.map((id) => edges.filter((e) => e.fromUnitId === id || e.toUnitId === id));
    }),
  };
}

export type OrgUnitLoaders = ReturnType<typeof createLoaders>;
