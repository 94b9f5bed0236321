import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { ErrorCode, userError } from '../graphql/errors';
import { todayInVietnam, type LocalDate } from '../time/local-date';
import { prepared } from '../db/prepared';

/**
 * Checks that the caller may write at a unit (throws FORBIDDEN); absent for operator tools
 * such as `hub import`. It reads through the write's own transaction: taking a second pool
 * connection while holding one would deadlock a busy pool.
 */
export type AuthorizeWrite = (unitId: number, tx: EntityManager) => Promise<void>;

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
 * The unit and date checks of a write and the caller's rights at each unit, read together
 * (one round trip in a writeTransaction) and judged in that order: the first failing check
 * is the error, whichever read came back first. Start it as soon as the units are known; a
 * caller that may throw before awaiting it need not handle its rejection (it is observed here).
 */
export function checkWrites(tx: EntityManager, pairs: readonly DatedWrite[], authorize?: AuthorizeWrite): Promise<void> {
  const unitsValid = checkUnitsOnDates(tx, pairs);
  const allowed = authorize ? authorizeUnits(tx, pairs, authorize) : Promise.resolve();
  allowed.catch(() => {}); // judged after the units, below
  const checked = (async () => {
    await unitsValid;
    await allowed;
  })();
  checked.catch(() => {}); // the caller awaits it (a rejection before then is not unhandled)
  return checked;
}

/**
 * The caller's rights at each unit of a write, asked once a unit. A refusal names the first
 * import line at that unit, and the lowest such line decides which refusal is given (not
 * which answer came back first), so that the person fixing the file knows where to look.
 */
async function authorizeUnits(tx: EntityManager, pairs: readonly DatedWrite[], authorize: AuthorizeWrite): Promise<void> {
  const firstLine = new Map<number, number>();
  for (const { unitId, line = Infinity } of pairs) firstLine.set(unitId, Math.min(line, firstLine.get(unitId) ?? Infinity));
  const units = [...firstLine].sort((a, b) => a[1] - b[1]);
  const answers = await Promise.allSettled(units.map(([unitId]) => authorize(unitId, tx)));
  answers.forEach((answer, i) => {
    if (answer.status === 'fulfilled') return;
    const line = units[i]![1];
    const err = answer.reason as unknown;
    if (line === Infinity || !(err instanceof GraphQLError)) throw err;
    throw new GraphQLError(`Line ${line}: ${err.message}`, { extensions: { ...err.extensions, line } });
  });
}

/**
 * What a write must respect before it touches anything: the unit exists (and is valid on
 * the date of what opens there), the date is not in the future, and its period is not
 * closed. Reads the reference data that org-units publishes (units, reporting calendar).
 */
export async function checkUnitsOnDates(tx: EntityManager, pairs: readonly DatedWrite[]): Promise<void> {
  if (pairs.length === 0) return;
  const today = todayInVietnam();
  const ids = [...new Set(pairs.map((p) => p.unitId))];
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
