import type { DataSource } from 'typeorm';
import { ErrorCode, userError } from '../graphql/errors';
import type { LocalDate } from '../time/local-date';

/** The level names of org-units whose units can be ranked against each other. */
export const RANKABLE_LEVELS = ['PROVINCE', 'DISTRICT', 'WARD'] as const;
export type RankableLevel = (typeof RANKABLE_LEVELS)[number];

/** Ids of the units of a level valid on a date (org-units' published units table). */
export async function unitsOfLevel(db: DataSource, level: string, asOf: LocalDate): Promise<number[]> {
  if (!(RANKABLE_LEVELS as readonly string[]).includes(level)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `Units of level ${level} cannot be ranked; use ${RANKABLE_LEVELS.join(', ')}.`, { level });
  }
  const rows = (await db.query(
    `SELECT id FROM org_units.org_unit WHERE type = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date) ORDER BY id`,
    [level, asOf],
  )) as { id: number }[];
  return rows.map((r) => r.id);
}

/** The type of one unit, to rank it among its peers. */
export async function levelOf(db: DataSource, unitId: number): Promise<string | null> {
  const [row] = (await db.query(`SELECT type FROM org_units.org_unit WHERE id = $1`, [unitId])) as { type: string }[];
  return row?.type ?? null;
}
