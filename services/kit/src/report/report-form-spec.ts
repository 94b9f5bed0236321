import type { Rows } from './report-spec';

/** How a form's cell is written: an exact count, an exact amount of dong, or a percentage with 2 decimals. */
export type FormValueKind = 'COUNT' | 'VND' | 'RATE';

/** One column of an official report form: its heading in Vietnamese and English, and its value in a row. */
export interface FormColumn<F> {
  /** Stable name for programs (CSV headers in English, spreadsheet formulas): `carriedOver`. */
  key: string;
  /** The form's own heading, with diacritics: `Năm trước chuyển sang`. */
  label: string;
  labelEn: string;
  kind: FormValueKind;
  /** The cell of a row: its figures and rollup rows by bucket (for columns of one category or kind); null when undefined (0 ÷ 0). */
  value(figures: F, rows: Rows): number | bigint | null;
}

/**
 * An official report form of the statistics circular (05/2024) that one report fills: rows for
 * the unit and its subordinate units, the form's columns, a total row. The kit serves it as
 * `<field>(unitId, period, asOf)` and the gateway exports it as CSV and XLSX.
 */
export interface FormSpec<F> {
  /** The form's number in the circular: 1 (results by case), 2 (by money), 8 (complaints and denunciations). */
  number: number;
  /** The query that serves it: `caseReportForm`. */
  field: string;
  description: string;
  title: string;
  titleEn: string;
  /** Whether a column reads a bucket other than 0 (a category or a petition kind): the full rows are then read. */
  readsBuckets?: boolean;
  columns: readonly FormColumn<F>[];
}

/** The text of a cell: integers exactly, rates with two decimals, nothing for an undefined rate. */
export function formCell(kind: FormValueKind, value: number | bigint | null): string | null {
  if (value === null) return null;
  if (kind === 'RATE') return Number(value).toFixed(2);
  return typeof value === 'bigint' ? value.toString() : String(Math.trunc(value));
}
