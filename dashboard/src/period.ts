// The period picker's choices and the API's PeriodInput. No imports: the tests load this file as it is.

/** What the picker can say: a statistical year, its first N months, a quarter, or a month range. */
export type PeriodChoice =
  | { kind: 'year'; year: number }
  | { kind: 'months'; year: number; months: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'range'; fromMonth: string; toMonth: string };

/** The schema's PeriodInput. */
export interface PeriodInput {
  year?: number;
  months?: number;
  quarter?: number;
  fromMonth?: string;
  toMonth?: string;
}

/** The statistical year a date falls in: it runs from 1 October of the year before to 30 September. */
export function statisticalYearOf(date: string): number {
  const [year, month] = date.split('-').map(Number);
  return month >= 10 ? year + 1 : year;
}

/** The calendar month (YYYY-MM) that is month `index` (1 = October) of statistical year `year`. */
function monthOfYear(year: number, index: number): string {
  const month = ((9 + index - 1) % 12) + 1;
  const calendarYear = month >= 10 ? year - 1 : year;
  return `${calendarYear}-${String(month).padStart(2, '0')}`;
}

/** The last day (YYYY-MM-DD) of a month written YYYY-MM. */
function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The month YYYY-MM moved by whole years. */
function shiftMonth(month: string, years: number): string {
  const [y, m] = month.split('-');
  return `${Number(y) + years}-${m}`;
}

/** The picker's choice as the API's PeriodInput. */
export function toPeriodInput(choice: PeriodChoice): PeriodInput {
  switch (choice.kind) {
    case 'year':
      return { year: choice.year };
    case 'months':
      return { year: choice.year, months: choice.months };
    case 'quarter':
      return { year: choice.year, quarter: choice.quarter };
    case 'range':
      return { fromMonth: choice.fromMonth, toMonth: choice.toMonth };
  }
}

/** The period's last day: the API's default `asOf`, and the hierarchy the previous year is compared on. */
export function periodEnd(choice: PeriodChoice): string {
  switch (choice.kind) {
    case 'year':
      return lastDayOf(monthOfYear(choice.year, 12));
    case 'months':
      return lastDayOf(monthOfYear(choice.year, choice.months));
    case 'quarter':
      return lastDayOf(monthOfYear(choice.year, choice.quarter * 3));
    case 'range':
      return lastDayOf(choice.toMonth);
  }
}

/** The same period of the previous year. */
export function previousYear(choice: PeriodChoice): PeriodChoice {
  if (choice.kind === 'range') return { kind: 'range', fromMonth: shiftMonth(choice.fromMonth, -1), toMonth: shiftMonth(choice.toMonth, -1) };
  return { ...choice, year: choice.year - 1 };
}

/** The period a dashboard opens on: the current statistical year up to the current month. */
export function defaultPeriod(today: string): PeriodChoice {
  const year = statisticalYearOf(today);
  const month = Number(today.split('-')[1]);
  return { kind: 'months', year, months: ((month - 10 + 12) % 12) + 1 };
}
