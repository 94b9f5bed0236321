// CSV text from the cells of a table. No imports: the tests load this file as it is.

function field(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * RFC 4180 CSV (comma-separated, CRLF) with a UTF-8 byte order mark, so that spreadsheet
 * programs read the Vietnamese headers' diacritics right. Values go in as given: counts and
 * VND amounts are the API's exact digits.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return '\ufeff' + rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
