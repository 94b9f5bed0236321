import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { LocalDate } from '@thads/kit';
import type { Lineage } from '../lineage/lineage.entity';
import { LineageRepository } from '../lineage/lineage.repository';
import type { OrgUnit } from './org-unit.entity';
import { OrgUnitRepository, type Below, type UnitConditions } from './org-unit.repository';
import { CalendarRepository } from '../calendar/calendar.repository';

export interface DatedKey {
  id: number;
  asOf: LocalDate;
}

/** The units of one connection below one unit: its conditions, and whether it lists the unit's children or all below it. */
export interface BelowKey {
  below: Below;
  ownerId: number;
  conditions: UnitConditions;
}

const conditionsKey = (k: BelowKey) => `${k.below}|${JSON.stringify(k.conditions)}`;

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
    /** The connections of a list of units (each province's wards, say): one batch for all that share their conditions. */
    unitsBelow: new DataLoader<BelowKey, OrgUnit[], string>(
      async (keys) => {
        const groups = new Map<string, { key: BelowKey; owners: number[] }>();
        for (const k of keys) {
          const g = conditionsKey(k);
          const group = groups.get(g) ?? { key: k, owners: [] };
          group.owners.push(k.ownerId);
          groups.set(g, group);
        }
        const found = new Map<string, Map<number, OrgUnit[]>>();
        await Promise.all([...groups].map(async ([g, { key, owners }]) => found.set(g, await units.matchingBelow(key.conditions, key.below, owners))));
        return keys.map((k) => found.get(conditionsKey(k))!.get(k.ownerId) ?? []);
      },
      { cacheKeyFn: (k) => `${conditionsKey(k)}|${k.ownerId}` },
    ),
    lineageOf: new DataLoader<number, Lineage[]>(async (ids) => {
      const edges = await lineage.touching(ids);
      return ids.map((id) => edges.filter((e) => e.fromUnitId === id || e.toUnitId === id));
    }),
  };
}

export type OrgUnitLoaders = ReturnType<typeof createLoaders>;
