import { ErrorCode, userError } from '../graphql/errors';

/** A calendar date as written in reports, `YYYY-MM-DD`. Dates are Vietnam's (UTC+7). */
export type LocalDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_OFFSET_MS = 7 * 3600 * 1000;

/** Parses and checks a date; throws INVALID_DATE for anything but a real `YYYY-MM-DD` date. */
export function parseLocalDate(value: unknown): LocalDate {
  if (typeof value !== 'string') {
    throw userError(ErrorCode.INVALID_DATE, `A date must be a string written YYYY-MM-DD, got ${JSON.stringify(value)}.`);
  }
  const m = DATE_RE.exec(value);
  const valid = m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!valid) {
    throw userError(ErrorCode.INVALID_DATE, `"${value}" is not a date: write a real calendar date as YYYY-MM-DD, for example 2025-09-30.`);
  }
  return value;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function formatDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today's date in Vietnam, whatever the server's time zone. */
export function todayInVietnam(now: Date = new Date()): LocalDate {
  const vn = new Date(now.getTime() + VN_OFFSET_MS);
  return formatDate(vn.getUTCFullYear(), vn.getUTCMonth() + 1, vn.getUTCDate());
}

/** Milliseconds from `now` to the next midnight in Vietnam, when todayInVietnam() changes. */
export function msToNextVietnamMidnight(now: number = Date.now()): number {
  const day = 86_400_000;
  return (Math.floor((now + VN_OFFSET_MS) / day) + 1) * day - VN_OFFSET_MS - now;
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y!, m! - 1, d! + days));
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
