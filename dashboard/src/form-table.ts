// A report form as a table, in the API's order (the total row first, the unit's own row, then
// the units under it): the form's own layout, so it is not sortable.

import { h } from './dom.js';
import { formatRate, formatVnd } from './format.js';
import { currentLang, t } from './i18n.js';
import type { FormNumber, ReportForm, ReportFormColumn } from './queries.js';

/** A cell's text: counts and dong are exact digit strings, grouped through BigInt; rates "88.38" become 88,38 %. */
export function formCellText(kind: ReportFormColumn['kind'], value: string | null): string {
  if (value === null) return '—';
  return kind === 'RATE' ? formatRate(Number(value)) : formatVnd(value);
}

/** The form's table; a subordinate unit's name leads to its own form. */
export function formTable(form: ReportForm, number: FormNumber): HTMLTableElement {
  const english = currentLang() === 'en';
  const header = h(
    'tr',
    {},
    h('th', { scope: 'col', 'data-col': 'unit', class: 'text' }, t('formRowUnit')),
    ...form.columns.map((c) => h('th', { scope: 'col', 'data-col': c.key, 'data-kind': c.kind, class: c.kind.toLowerCase() }, english ? c.labelEn : c.label)),
  );
  const rows = form.rows.map((row) => {
    const key = row.kind === 'SUBORDINATE' ? row.unitId : row.kind;
    const name = row.kind === 'SUBORDINATE' ? h('a', { href: `#/forms/${number}/${row.unitId}` }, row.label) : row.label;
    return h(
      'tr',
      { 'data-row': key, 'data-kind': row.kind, 'data-unit': row.unitId, class: row.kind.toLowerCase() },
      h('th', { scope: 'row', 'data-col': 'unit', class: 'text' }, name),
      ...form.columns.map((c, i) => {
        const value = row.values[i] ?? null;
        return h('td', { 'data-col': c.key, 'data-value': value ?? '', class: c.kind.toLowerCase() }, formCellText(c.kind, value));
      }),
    );
  });
  return h(
    'table',
    { id: 'form-table', class: 'figures form', 'data-form': number },
    h('caption', {}, `${english ? form.titleEn : form.title} – ${form.unitName}`),
    h('thead', {}, header),
    h('tbody', {}, ...rows),
  );
}
