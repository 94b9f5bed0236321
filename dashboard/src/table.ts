// A sortable table whose cells keep the API's exact values (data-value) beside their
// formatted text, so that sorting and the CSV use the exact figures.

import { h } from './dom.js';
import { collator, compareVnd, formatCount, formatPoints, formatRate, formatVnd } from './format.js';
import { toCsv } from './csv.js';

/** How a column's values are shown and ordered. */
export type ColumnKind = 'text' | 'rank' | 'count' | 'vnd' | 'rate' | 'points';

/** One column: its header, kind and the row's value (numbers for counts and rates, digit strings for VND). */
export interface Column<R> {
  key: string;
  label: string;
  kind: ColumnKind;
  value: (row: R) => string | number | null;
  /** A link for text cells (a province's name leads to its view). */
  href?: (row: R) => string;
}

function display(kind: ColumnKind, value: string | number | null): string {
  switch (kind) {
    case 'text':
      return value === null ? '' : String(value);
    case 'rank':
    case 'count':
      return formatCount(value as number | null);
    case 'vnd':
      return formatVnd(value as string | null);
    case 'rate':
      return formatRate(value as number | null);
    case 'points':
      return formatPoints(value as number | null);
  }
}

function compare(kind: ColumnKind, a: string | number | null, b: string | number | null): number {
  if (kind === 'text') return collator.compare(String(a ?? ''), String(b ?? ''));
  if (kind === 'vnd') return compareVnd(a as string | null, b as string | null);
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return (a as number) - (b as number);
}

/** Where a table is sorted: a column and a direction; kept across live updates. */
export interface SortState {
  key: string;
  descending: boolean;
}

/**
 * Renders rows into a table with clickable headers (sort by that column; again to reverse;
 * missing values stay last) and an optional footer row (a total). `rowKey` names each row
 * (data-row) for the tests and the flash of changed cells.
 */
export function sortableTable<R>(options: {
  id: string;
  caption: string;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  footer?: R;
  sort: SortState;
  onSort: (sort: SortState) => void;
  previous?: HTMLTableElement | null;
}): HTMLTableElement {
  const { columns, sort } = options;
  const column = columns.find((c) => c.key === sort.key) ?? columns[0];
  // Equal values (a shared rank) keep the names in Vietnamese order.
  const names = columns.find((c) => c.kind === 'text');
  const rows = [...options.rows].sort((a, b) => {
    const [x, y] = [column.value(a), column.value(b)];
    const order = x === null || y === null ? compare(column.kind, x, y) : sort.descending ? compare(column.kind, y, x) : compare(column.kind, x, y);
    return order || (names ? compare('text', names.value(a), names.value(b)) : 0);
  });
  const before = new Map<string, string>();
  options.previous?.querySelectorAll<HTMLElement>('[data-row] td').forEach((td) => {
    before.set(`${td.parentElement!.dataset.row}/${td.dataset.col}`, td.dataset.value ?? '');
  });
  const cell = (c: Column<R>, row: R, key: string, tag: 'td' | 'th' = 'td') => {
    const value = c.value(row);
    const raw = value === null ? '' : String(value);
    const text = display(c.kind, value);
    const changed = before.has(`${key}/${c.key}`) && before.get(`${key}/${c.key}`) !== raw;
    const link = tag === 'td' ? c.href?.(row) : undefined;
    const content = link ? h('a', { href: link }, text) : text;
    return h(tag, { 'data-col': c.key, 'data-value': raw, class: `${c.kind}${changed ? ' changed' : ''}` }, content);
  };
  const header = h(
    'tr',
    {},
    ...columns.map((c) =>
      h(
        'th',
        {
          scope: 'col',
          'data-col': c.key,
          'data-label': c.label,
          class: c.kind,
          'aria-sort': c.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none',
        },
        h(
          'button',
          {
            type: 'button',
            onclick: () => options.onSort({ key: c.key, descending: c.key === column.key ? !sort.descending : c.kind !== 'text' && c.kind !== 'rank' }),
          },
          c.label,
          c.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : '',
        ),
      ),
    ),
  );
  const body = h('tbody', {}, ...rows.map((row) => h('tr', { 'data-row': options.rowKey(row) }, ...columns.map((c) => cell(c, row, options.rowKey(row))))));
  const footer = options.footer ? h('tfoot', {}, h('tr', { 'data-row': 'total' }, ...columns.map((c) => cell(c, options.footer as R, 'total')))) : null;
  return h('table', { id: options.id, class: 'figures' }, h('caption', {}, options.caption), h('thead', {}, header), body, footer);
}

/** The table on screen as CSV: its headers, then each row (and the total) with the exact values. */
export function tableCsv(table: HTMLTableElement): string {
  const headers = [...table.querySelectorAll<HTMLElement>('thead th')].map((th) => th.dataset.label ?? th.textContent ?? '');
  const rows = [...table.querySelectorAll<HTMLElement>('tbody tr, tfoot tr')].map((tr) =>
    [...tr.querySelectorAll<HTMLElement>('td, th')].map((td) => td.dataset.value ?? ''),
  );
  return toCsv([headers, ...rows]);
}

/** A "Tải CSV" button that saves the table on screen (looked up by id when clicked, so live updates are included). */
export function csvButton(label: string, tableId: string, fileName: () => string): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'csv',
      'data-csv-for': tableId,
      onclick: () => {
        const table = document.getElementById(tableId) as HTMLTableElement | null;
        if (!table) return;
        const url = URL.createObjectURL(new Blob([tableCsv(table)], { type: 'text/csv;charset=utf-8' }));
        const link = h('a', { href: url, download: fileName() });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
    },
    label,
  );
}
