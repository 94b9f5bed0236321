import { registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { ErrorCode, userError } from '../graphql/errors';
import type { LocalDate } from '../time/local-date';
import { readQuery } from '../db/read-pool';

export enum RankingLevel {
  PROVINCE = 'PROVINCE',
  DISTRICT = 'DISTRICT',
  WARD = 'WARD',
}

registerEnumType(RankingLevel, {
  name: 'RankingLevel',
  description: 'The level whose units are ranked against each other.',
  valuesConfig: {
    PROVINCE: { description: 'Provinces: 63 before 2025-07-01, 34 after.' },
    DISTRICT: { description: 'Districts (until 2025-06-30).' },
    WARD: { description: 'Wards, communes and special zones (from 2025-07-01).' },
  },
});

export function isRankable(level: string): level is RankingLevel {
  return (Object.values(RankingLevel) as string[]).includes(level);
}

/**
 * Ids of the units of a level valid on a date (org-units' published units table); with
 * `within`, only those under that unit on the hierarchy of the date (a province's own wards).
 */
export async function unitsOfLevel(db: DataSource, level: string, asOf: LocalDate, within?: number): Promise<number[]> {
  if (!isRankable(level)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `Units of level ${level} cannot be ranked; use ${Object.values(RankingLevel).join(', ')}.`, { level });
  }
  const valid = `u.type = $1 AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)`;
  const rows = (await (within === undefined
    ? readQuery(db, `SELECT u.id FROM org_units.org_unit u WHERE ${valid} ORDER BY u.id`, [level, asOf])
    : readQuery(
        db,
        `SELECT u.id FROM org_units.org_unit u
         JOIN org_units.rollup_edge e ON e.descendant_id = u.id AND e.ancestor_id = $3 AND e.valid_from <= $2::date AND e.valid_to > $2::date
         WHERE ${valid} AND u.id <> $3 ORDER BY u.id`,
        [level, asOf, within],
      ))) as { id: number }[];
  return rows.map((r) => r.id);
}

/** The type of one unit, to rank it among its peers. */
export async function levelOf(db: DataSource, unitId: number): Promise<string | null> {
  const [row] = (await readQuery(db, `SELECT type FROM org_units.org_unit WHERE id = $1`, [unitId])) as { type: string }[];
  return row?.type ?? null;
}
