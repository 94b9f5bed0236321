import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { percent } from '../util/rate';
import type { TargetAchievement } from './stats-types';
import { readQuery } from '../db/read-pool';

/** Targets per unit and statistical year, owned by finances; unit 1 (the ministry) holds the national ones. */
export const TARGET_TABLE = 'finances.unit_target';
export const NATIONAL_UNIT_ID = 1;

export interface Targets {
  caseRate: number;
  moneyRate: number;
}

/** Per-request loader of targets keyed by "unitId|year". */
export function createTargetLoader(db: DataSource) {
  return new DataLoader<string, Targets | null>(async (keys) => {
    const pairs = keys.map((k) => k.split('|').map(Number) as [number, number]);
    let rows: { unit_id: number; year: number; case_rate: string; money_rate: string }[];
    try {
      rows = await readQuery(
        db,
        `SELECT unit_id, year, case_rate::text, money_rate::text FROM ${TARGET_TABLE} t
         JOIN unnest($1::int[], $2::int[]) AS k(u, y) ON t.unit_id = k.u AND t.year = k.y`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
    } catch (err) {
      // 42P01: finances is not deployed on this database; figures are served without targets.
      if ((err as { code?: string }).code !== '42P01') throw err;
      rows = [];
    }
    const byKey = new Map(rows.map((r) => [`${r.unit_id}|${r.year}`, { caseRate: Number(r.case_rate), moneyRate: Number(r.money_rate) }]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

const hundredths = (v: number) => BigInt(Math.round(v * 100));

/** Compares a published rate (2 decimals) with the unit's and the national target. */
export function achievement(rate: number | null, unitTarget: number | null, nationalTarget: number | null): TargetAchievement {
  const of = (target: number | null) => (rate === null || target === null || target === 0 ? null : percent(hundredths(rate), hundredths(target)));
  const meets = (target: number | null) => (rate === null || target === null ? null : hundredths(rate) >= hundredths(target));
  return {
    rate,
    unitTarget,
    nationalTarget,
    achievementOfUnitTarget: of(unitTarget),
    achievementOfNationalTarget: of(nationalTarget),
    meetsUnitTarget: meets(unitTarget),
    meetsNationalTarget: meets(nationalTarget),
  };
}
