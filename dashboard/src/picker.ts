// The period picker (statistical year, first N months, quarter, month range) and the as-of date.

import { h } from './dom.js';
import { t } from './i18n.js';
import { periodEnd, type PeriodChoice } from './period.js';

/** The period and hierarchy date the views read. `asOf` empty: the period's last day, as the API's default. */
export interface Selection {
  period: PeriodChoice;
  asOf: string;
}

/** The date the views pass as `asOf`: the chosen one, else the period's last day (so that last year compares on the same hierarchy). */
export function effectiveAsOf(selection: Selection): string {
  return selection.asOf || periodEnd(selection.period);
}

/** The period in words, e.g. "Năm 2027, 3 tháng đầu". */
export function describePeriod(period: PeriodChoice): string {
  switch (period.kind) {
    case 'year':
      return `${t('periodYear')} ${period.year}`;
    case 'months':
      return `${t('periodYear')} ${period.year}, ${period.months} ${t('months').toLowerCase()}`;
    case 'quarter':
      return `${t('periodYear')} ${period.year}, ${t('quarter').toLowerCase()} ${period.quarter}`;
    case 'range':
      return `${period.fromMonth} – ${period.toMonth}`;
  }
}

/** A short name for files (CSV), e.g. 2027-3m. */
export function periodSlug(period: PeriodChoice): string {
  switch (period.kind) {
    case 'year':
      return `${period.year}`;
    case 'months':
      return `${period.year}-${period.months}m`;
    case 'quarter':
      return `${period.year}-q${period.quarter}`;
    case 'range':
      return `${period.fromMonth}_${period.toMonth}`;
  }
}

function numberInput(id: string, value: number, min: number, max: number): HTMLInputElement {
  return h('input', { id, type: 'number', min, max, value, required: true });
}

/** The picker's form; `onApply` gets the new selection when "Xem" is pressed. */
export function periodPicker(selection: Selection, onApply: (selection: Selection) => void): HTMLFormElement {
  const p = selection.period;
  const year = 'year' in p ? p.year : Number(p.toMonth.slice(0, 4)) + (Number(p.toMonth.slice(5)) >= 10 ? 1 : 0);
  const kind = h(
    'select',
    { id: 'period-kind' },
    ...(['year', 'months', 'quarter', 'range'] as const).map((k) =>
      h(
        'option',
        { value: k, selected: p.kind === k },
        t(k === 'year' ? 'periodYear' : k === 'months' ? 'periodMonths' : k === 'quarter' ? 'periodQuarter' : 'periodRange'),
      ),
    ),
  );
  const yearInput = numberInput('period-year', year, 2000, 2100);
  const monthsInput = numberInput('period-months', p.kind === 'months' ? p.months : 12, 1, 12);
  const quarterInput = numberInput('period-quarter', p.kind === 'quarter' ? p.quarter : 1, 1, 4);
  const fromInput = h('input', { id: 'period-from', type: 'month', value: p.kind === 'range' ? p.fromMonth : `${year - 1}-10` });
  const toInput = h('input', { id: 'period-to', type: 'month', value: p.kind === 'range' ? p.toMonth : `${year}-09` });
  const asOfInput = h('input', { id: 'as-of', type: 'date', value: selection.asOf });
  const field = (label: string, input: HTMLElement, group: string) => h('label', { class: 'field', 'data-group': group }, label, ' ', input);
  const fields = [
    field(t('year'), yearInput, 'year months quarter'),
    field(t('months'), monthsInput, 'months'),
    field(t('quarter'), quarterInput, 'quarter'),
    field(t('fromMonth'), fromInput, 'range'),
    field(t('toMonth'), toInput, 'range'),
  ];
  const showFields = () => fields.forEach((f) => (f.hidden = !(f.dataset.group ?? '').split(' ').includes(kind.value)));
  kind.addEventListener('change', showFields);
  showFields();
  const form = h(
    'form',
    { id: 'picker', class: 'picker' },
    h('label', { class: 'field' }, t('period'), ' ', kind),
    ...fields,
    field(t('asOf'), asOfInput, 'all'),
    h('button', { type: 'submit', id: 'apply' }, t('apply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const y = Number(yearInput.value);
    const chosen: PeriodChoice =
      kind.value === 'year'
        ? { kind: 'year', year: y }
        : kind.value === 'months'
          ? { kind: 'months', year: y, months: Number(monthsInput.value) }
          : kind.value === 'quarter'
            ? { kind: 'quarter', year: y, quarter: Number(quarterInput.value) }
            : { kind: 'range', fromMonth: fromInput.value, toMonth: toInput.value };
    onApply({ period: chosen, asOf: asOfInput.value });
  });
  return form;
}
