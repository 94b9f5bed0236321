import { ErrorCode, userError } from '../graphql/errors';
import { daysInMonth, formatDate, type LocalDate } from './local-date';

/**
 * What a client may ask for: a statistical year, its first N months (cumulative from
 * 1 October), one of its quarters, or any range of whole months.
 */
export interface PeriodSpec {
  year?: number | null;
  months?: number | null;
  quarter?: number | null;
  fromMonth?: string | null;
  toMonth?: string | null;
}

/** A resolved period: whole months, first and last day inclusive. */
export interface Period {
  /** First day of the first month. */
  start: LocalDate;
  /** Last day of the last month. */
  end: LocalDate;
  /** First day of the first month (the aggregate tables' month key). */
  firstMonth: LocalDate;
  /** First day of the last month. */
  lastMonth: LocalDate;
  /** A label a person reads, e.g. "6 months of statistical year 2025". */
  label: string;
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** Month index: months since year 0, so that ranges compare as integers. */
type MonthIndex = number;

function monthIndex(year: number, month: number): MonthIndex {
  return year * 12 + (month - 1);
}

/** Statistical years a period may name: the first and the last. */
const FIRST_YEAR = 1990;
const LAST_YEAR = 2100;

function parseMonth(value: string, field: string): MonthIndex {
  const m = MONTH_RE.exec(value);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) {
    throw userError(ErrorCode.INVALID_PERIOD, `${field} "${value}" is not a month: write YYYY-MM, for example 2024-10.`, { field });
  }
  const index = monthIndex(Number(m[1]), month);
  // The months of statistical years FIRST_YEAR to LAST_YEAR: October of the year before the first to September of the last.
  if (index < monthIndex(FIRST_YEAR - 1, 10) || index > monthIndex(LAST_YEAR, 9)) {
    throw userError(
      ErrorCode.INVALID_PERIOD,
      `${field} "${value}" is outside the statistical years ${FIRST_YEAR} to ${LAST_YEAR}: give a month from ${FIRST_YEAR - 1}-10 to ${LAST_YEAR}-09.`,
      { field },
    );
  }
  return index;
}

function firstDay(index: MonthIndex): LocalDate {
  return formatDate(Math.floor(index / 12), (index % 12) + 1, 1);
}

function lastDay(index: MonthIndex): LocalDate {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatDate(year, month, daysInMonth(year, month));
}

/** The statistical year a date falls in: 1 Oct 2024 – 30 Sep 2025 is year 2025. */
export function statisticalYearOf(date: LocalDate): number {
  const [y, m] = date.split('-').map(Number);
  return m! >= 10 ? y! + 1 : y!;
}

function fromIndices(first: MonthIndex, last: MonthIndex, label: string): Period {
  return { start: firstDay(first), end: lastDay(last), firstMonth: firstDay(first), lastMonth: firstDay(last), label };
}

function checkRange(value: number | null | undefined, name: string, min: number, max: number): void {
  if (value == null) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw userError(ErrorCode.INVALID_PERIOD, `${name} must be a whole number from ${min} to ${max}, got ${value}.`, { field: name });
  }
}

/** Resolves what a client asked for into whole months; INVALID_PERIOD says what to fix. */
export function resolvePeriod(spec: PeriodSpec): Period {
  const { year, months, quarter, fromMonth, toMonth } = spec;
  const hasRange = fromMonth != null || toMonth != null;
  if (hasRange) {
    if (year != null || months != null || quarter != null) {
      throw userError(ErrorCode.INVALID_PERIOD, 'Give either a statistical year (with months or quarter) or fromMonth/toMonth, not both.');
    }
    if (fromMonth == null || toMonth == null) {
      throw userError(ErrorCode.INVALID_PERIOD, 'A month range needs both fromMonth and toMonth (YYYY-MM).');
    }
    const first = parseMonth(fromMonth, 'fromMonth');
    const last = parseMonth(toMonth, 'toMonth');
    if (last < first) throw userError(ErrorCode.INVALID_PERIOD, `toMonth ${toMonth} is before fromMonth ${fromMonth}.`);
    return fromIndices(first, last, `${fromMonth} to ${toMonth}`);
  }
  if (year == null) {
    throw userError(ErrorCode.INVALID_PERIOD, 'A period needs a statistical year (e.g. { year: 2025 }) or a month range (fromMonth, toMonth).');
  }
  checkRange(year, 'year', FIRST_YEAR, LAST_YEAR);
  checkRange(months, 'months', 1, 12);
  checkRange(quarter, 'quarter', 1, 4);
  if (months != null && quarter != null) throw userError(ErrorCode.INVALID_PERIOD, 'Give months or quarter, not both.');
  const october = monthIndex(year - 1, 10);
  if (quarter != null) return fromIndices(october + (quarter - 1) * 3, october + quarter * 3 - 1, `quarter ${quarter} of statistical year ${year}`);
  if (months != null) return fromIndices(october, october + months - 1, `${months} months of statistical year ${year}`);
  return fromIndices(october, october + 11, `statistical year ${year}`);
}

/** The same period one year earlier, for year-on-year comparisons. */
export function previousYear(period: Period): Period {
  const shift = (d: LocalDate) => `${String(Number(d.slice(0, 4)) - 1).padStart(4, '0')}${d.slice(4)}`;
  const lastMonth = shift(period.lastMonth);
  const [y, m] = lastMonth.split('-').map(Number);
  return {
    start: shift(period.start),
    end: formatDate(y!, m!, daysInMonth(y!, m!)),
    firstMonth: shift(period.firstMonth),
    lastMonth,
    label: `same period of the previous year (${period.label})`,
  };
}

/** How a series steps through its range. */
export type SeriesStepKind = 'MONTH' | 'QUARTER' | 'YEAR';

/** The most points a series may have: twenty years of months. */
export const MAX_SERIES_POINTS = 240;

/** The start of a step's period holding a month: the month, its quarter (Oct, Jan, Apr, Jul) or its statistical year (Oct). */
function stepStart(index: MonthIndex, step: SeriesStepKind): MonthIndex {
  if (step === 'MONTH') return index;
  if (step === 'QUARTER') return index - (index % 3);
  return index - ((index - 9 + 12) % 12); // October, month 9 of 0–11
}

function stepLabel(first: MonthIndex, step: SeriesStepKind): string {
  const month = firstDay(first).slice(0, 7);
  if (step === 'MONTH') return month;
  const year = statisticalYearOf(firstDay(first));
  if (step === 'YEAR') return `statistical year ${year}`;
  return `quarter ${Math.floor(((first - 9 + 12) % 12) / 3) + 1} of statistical year ${year}`;
}

/**
 * The periods of a series from one month to another (YYYY-MM, inclusive): each month, quarter
 * of the statistical year (October–December is the first) or statistical year, cut to the
 * range at its ends. Cumulative, each period starts on 1 October of its statistical year
 * instead, as the ministry's reports count ("the first N months").
 */
export function seriesPeriods(fromMonth: string, toMonth: string, step: SeriesStepKind, cumulative: boolean): Period[] {
  const first = parseMonth(fromMonth, 'from');
  const last = parseMonth(toMonth, 'to');
  if (last < first) throw userError(ErrorCode.INVALID_PERIOD, `to ${toMonth} is before from ${fromMonth}.`, { field: 'to' });
  const periods: Period[] = [];
  for (let start = first; start <= last;) {
    const next = stepStart(start, step) + (step === 'MONTH' ? 1 : step === 'QUARTER' ? 3 : 12);
    const end = Math.min(next - 1, last);
    const from = cumulative ? stepStart(end, 'YEAR') : start;
    periods.push(fromIndices(from, end, stepLabel(stepStart(start, step), step)));
    if (periods.length > MAX_SERIES_POINTS)
      throw userError(ErrorCode.INVALID_PERIOD, `A series has at most ${MAX_SERIES_POINTS} points; take a longer step or a shorter range.`, { field: 'step' });
    start = next;
  }
  return periods;
}
