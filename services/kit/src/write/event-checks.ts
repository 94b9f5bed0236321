import type { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { ErrorCode, userError } from '../graphql/errors';
import { todayInVietnam, type LocalDate } from '../time/local-date';
import { prepared } from '../db/prepared';
import type { NamesChanges } from './outbox';

/**
 * Who may write where, for a writer to ask before it judges anything else; absent for
 * operator tools such as `hub import`, which may write everywhere. Reads go through the
 * write's own transaction: taking a second pool connection while holding one would
 * deadlock a busy pool.
 */
export interface WriteScope extends NamesChanges {
  /** FORBIDDEN when the caller may not record events at all (a read-only role): decided before any record is read. */
  assertWriter(): void;
  /** The units of the list the caller may record events at. */
  writableUnits(unitIds: readonly number[], tx: EntityManager): Promise<Set<number>>;
}

/**
 * Whether each unit of a write may be written by the caller: one read for all of them. The
 * writers ask it first, so that a record outside the caller's scope answers like a missing one
 * (its status, dates and amounts never reach a message) and a unit outside it is refused before
 * any check that could describe it.
 */
export async function writableUnits(tx: EntityManager, unitIds: Iterable<number>, scope?: WriteScope): Promise<(unitId: number) => boolean> {
  if (!scope) return () => true;
  const ids = [...new Set(unitIds)];
  const allowed = ids.length ? await scope.writableUnits(ids, tx) : new Set<number>();
  return (unitId) => allowed.has(unitId);
}

/** The refusal of a write at a unit the caller does not report for (a unit that does not exist is refused alike). */
export function notYourUnit(unitId: number, line?: number): GraphQLError {
  return userError(ErrorCode.FORBIDDEN, `${line === undefined ? 'You' : `Line ${line}: you`} do not report for unit ${unitId}.`, {
    unitId: String(unitId),
    ...(line === undefined ? {} : { line }),
  });
}

/** Whether a number can be a unit id (a positive PostgreSQL int). */
export function isUnitId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= 2147483647;
}

/** A write to check: its unit, date and import line. */
export interface DatedWrite {
  unitId: number;
  date: LocalDate;
  line?: number;
  /**
   * Whether the unit must be valid on the date: true for what starts there (a case
   * received, a petition, a reception); false for what happens later to an existing case,
   * which stays recorded against the unit that received it and rolls up through lineage.
   */
  opens: boolean;
}

/**
 * The unit and date checks of a write, started as soon as the units are known and awaited
 * after the commands' own checks (one round trip in a writeTransaction). The caller's rights
 * were checked before (writableUnits). A caller that may throw before awaiting it need not
 * handle its rejection (it is observed here).
 */
export function checkWrites(tx: EntityManager, pairs: readonly DatedWrite[]): Promise<void> {
  const checked = checkUnitsOnDates(tx, pairs);
  checked.catch(() => {}); // the caller awaits it (a rejection before then is not unhandled)
  return checked;
}

/**
 * What a write must respect before it touches anything: the unit exists (and is valid on
 * the date of what opens there), the date is not in the future, and its period is not
 * closed. Reads the reference data that org-units publishes (units, reporting calendar).
 */
export async function checkUnitsOnDates(tx: EntityManager, pairs: readonly DatedWrite[]): Promise<void> {
  if (pairs.length === 0) return;
  const today = todayInVietnam();
  // Ids beyond a PostgreSQL int (an import's line may carry any number) name no unit.
  const ids = [...new Set(pairs.map((p) => p.unitId))].filter(isUnitId);
  // One round trip: the units, each row also carrying the last closed day of the calendar.
  const rows = (await prepared(
    tx,
    `SELECT u.id, u.name, u.type, u.valid_from::text AS valid_from, u.valid_to::text AS valid_to, c.closed_through
     FROM (SELECT max(closed_through)::text AS closed_through FROM org_units.reporting_close) c
     LEFT JOIN org_units.org_unit u ON u.id = ANY($1::int[])`,
    [ids],
  )) as { id: number | null; name: string; type: string; valid_from: string; valid_to: string | null; closed_through: string | null }[];
  const closedThrough = rows[0]?.closed_through ?? null;
  const units = new Map(rows.filter((u) => u.id !== null).map((u) => [u.id!, u]));
  for (const { unitId, date, line, opens } of pairs) {
    const where = line === undefined ? {} : { line };
    const at = line === undefined ? '' : `Line ${line}: `;
    if (date > today)
      throw userError(ErrorCode.FUTURE_DATE, `${at}${date} is in the future (today is ${today} in Vietnam); record events on or after the day they happen.`, {
        date,
        ...where,
      });
    if (closedThrough && date <= closedThrough) {
      throw userError(
        ErrorCode.PERIOD_CLOSED,
        `${at}the period through ${closedThrough} is closed; a correction of an event dated ${date} goes into the current period, dated today.`,
        { date, closedThrough, ...where },
      );
    }
    const unit = units.get(unitId);
    if (!unit) throw userError(ErrorCode.UNIT_NOT_FOUND, `${at}no organizational unit has id "${unitId}".`, { unitId: String(unitId), ...where });
    if (unit.type === 'MINISTRY')
      throw userError(ErrorCode.UNIT_NOT_VALID, `${at}the ministry does not handle cases itself; record the event at a province, district or ward.`, {
        unitId: String(unitId),
        ...where,
      });
    if (opens && (date < unit.valid_from || (unit.valid_to !== null && date >= unit.valid_to))) {
      throw userError(
        ErrorCode.UNIT_NOT_VALID,
        `${at}${unit.name} (id ${unitId}) does not exist on ${date}: it is valid from ${unit.valid_from}${unit.valid_to ? ` until the day before ${unit.valid_to}` : ''}. Record the event at the unit valid on that date.`,
        { unitId: String(unitId), date, ...where },
      );
    }
  }
}
