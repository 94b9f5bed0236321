import { ErrorCode, userError } from '../graphql/errors';
import type { LocalDate } from '../time/local-date';
import { resolvePeriod, type Period, type PeriodSpec } from '../time/period';

export interface StatsScope {
  period: Period;
  /** The date whose hierarchy the rollup walks: the period's last day unless given. */
  asOf: LocalDate;
}

export function statsScope(spec: PeriodSpec, asOf?: LocalDate | null): StatsScope {
  const period = resolvePeriod(spec);
  return { period, asOf: asOf ?? period.end };
}

/** Unit ids are whole numbers carried as GraphQL IDs. */
export function parseUnitId(id: string | number): number {
  const n = typeof id === 'number' ? id : Number(id);
  // Unit ids are PostgreSQL ints: a larger number names no unit (and must not reach an int cast).
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2147483647) {
    throw userError(ErrorCode.UNIT_NOT_FOUND, `No organizational unit has id "${id}": unit ids are positive whole numbers, e.g. "1" for the ministry.`, {
      id: String(id),
    });
  }
  return n;
}
