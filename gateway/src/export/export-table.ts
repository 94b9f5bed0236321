import { foldVietnamese } from '@thads/kit';

/** How a cell is written to a file: an exact integer (count or dong), a rate with two decimals, or text. */
export type CellKind = 'TEXT' | 'COUNT' | 'VND' | 'RATE';

/** One table to download: what the dashboard and the forms show, in the order they show it. */
export interface ExportTable {
  /** The sheet's title and the file's first line: what the table is, for which unit and period. */
  title: string;
  /** A file name without extension, ASCII only (it travels in a header). */
  fileName: string;
  columns: { label: string; kind: CellKind }[];
  /** Cells as the API answered them: integers as digit strings (exact), rates as "88.38", null for none. */
  rows: (string | null)[][];
}

/** A rate of the API ("88.38") as the Vietnamese write it: "88,38". */
export function vietnameseRate(value: string): string {
  return value.replace('.', ',');
}

/** ASCII for a file name: the text folded as search folds it (no diacritics, đ → d, lower case), words joined by dashes. */
export function asciiName(text: string): string {
  return foldVietnamese(text).replace(/ /g, '-');
}
