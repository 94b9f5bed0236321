import ExcelJS from 'exceljs';
import type { ExportTable } from './export-table';

/**
 * The table as an Excel workbook of one sheet: the title in the first row, the headers (bold,
 * frozen) in the second, one row a row. Counts and amounts are numbers when a spreadsheet
 * number holds them exactly (up to 2^53 − 1: nine thousand trillion dong), digit text beyond;
 * rates are numbers shown with two decimals, which Excel writes with the reader's own decimal
 * separator (88,38 on a Vietnamese system).
 */
export async function renderXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'THADS reporting hub';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[*?:\\/[\]]/g, ' '), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([table.title]).font = { bold: true, size: 13 };
  const header = sheet.addRow(table.columns.map((c) => c.label));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const cells of table.rows) {
    sheet.addRow(
      cells.map((cell, i) => {
        const kind = table.columns[i]?.kind;
        if (cell === null || kind === 'TEXT' || kind === undefined) return cell;
        if (kind === 'RATE') return Number(cell);
        const n = Number(cell);
        return Number.isSafeInteger(n) ? n : cell;
      }),
    );
  }
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.kind === 'TEXT' ? 36 : 16;
    if (c.kind === 'RATE') column.numFmt = '0.00';
    else if (c.kind !== 'TEXT') column.numFmt = '#,##0';
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
