import { vietnameseRate, type ExportTable } from './export-table';

const quote = (cell: string) => (/[",\r\n;]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * The table as CSV (RFC 4180, CRLF), preceded by a byte-order mark so that Excel opens the
 * Vietnamese headers as UTF-8: the title line, the header line, one line a row. Integers are
 * written exactly as the API gave them; rates with a decimal comma, as a Vietnamese reader
 * expects (quoted, since the comma also separates fields).
 */
export function renderCsv(table: ExportTable): Buffer {
  const lines = [
    [table.title],
    table.columns.map((c) => c.label),
    ...table.rows.map((row) => row.map((cell, i) => (cell === null ? '' : table.columns[i]?.kind === 'RATE' ? vietnameseRate(cell) : cell))),
  ];
  return Buffer.from(`\ufeff${lines.map((line) => line.map(quote).join(',')).join('\r\n')}\r\n`, 'utf8');
}
