// The report forms view ("Biểu mẫu"): form 1, 2 or 8 of a unit for the period of the picker,
// as the API fills it, with its CSV and XLSX from the gateway's /export/form.

import { query } from './api.js';
import { h, present } from './dom.js';
import { exportButtons } from './downloads.js';
import { formTable } from './form-table.js';
import { collator } from './format.js';
import { currentLang, t } from './i18n.js';
import { describePeriod, effectiveAsOf } from './picker.js';
import { toPeriodInput } from './period.js';
import { FORM_UNITS_OF_NATION, FORM_UNITS_OF_UNIT, liveFormTotals, reportFormQuery, type FormNumber, type FormUnits, type ReportForm } from './queries.js';
import { caller } from './session.js';
import { errorBox, type ViewContext } from './view.js';

const FORMS: FormNumber[] = [1, 2, 8];

/** The units offered at first: a province's token its province and its wards; anyone else the nation and its provinces. */
async function unitsToOffer(asOf: string): Promise<FormUnits['top']> {
  const me = caller();
  if (me.role === 'province' && me.units.length) return (await query<FormUnits>(FORM_UNITS_OF_UNIT, { id: me.units[0], asOf })).top;
  const { top } = await query<FormUnits>(FORM_UNITS_OF_NATION, { asOf });
  return { ...top, name: t('nation') };
}

/** The form and unit chooser; choosing changes the address, which opens the form. */
function chooser(number: FormNumber, unitId: string, top: FormUnits['top'] | undefined, shown: ReportForm | undefined): HTMLFormElement {
  const formSelect = h('select', { id: 'form-number' }, ...FORMS.map((n) => h('option', { value: n, selected: n === number }, t(`form${n}`))));
  const options = top ? [{ id: top.id, name: top.name }, ...[...top.children].sort((a, b) => collator.compare(a.name, b.name))] : [];
  // A unit reached by clicking a row (a ward under a province) is offered too.
  if (!options.some((o) => o.id === unitId)) options.push({ id: unitId, name: shown?.unitName ?? unitId });
  const unitSelect = h('select', { id: 'form-unit' }, ...options.map((o) => h('option', { value: o.id, selected: o.id === unitId }, o.name)));
  const form = h(
    'form',
    { id: 'form-chooser', class: 'picker' },
    h('label', { class: 'field' }, t('formPick'), ' ', formSelect),
    h('label', { class: 'field' }, t('formUnit'), ' ', unitSelect),
    h('button', { type: 'submit', id: 'form-show' }, t('formShow')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/forms/${formSelect.value}/${unitSelect.value}`;
  });
  return form;
}

/** The form itself: title, period, downloads and table. */
function formSection(form: ReportForm, number: FormNumber, ctx: ViewContext, period: ReturnType<typeof toPeriodInput>, asOf: string): HTMLElement {
  const english = currentLang() === 'en';
  return h(
    'section',
    { id: 'report-form', 'data-form': number, 'data-unit': form.unitId },
    h('h3', { id: 'form-title' }, english ? `Form ${form.form}: ${form.titleEn}` : `Biểu số ${form.form}: ${form.title}`),
    h(
      'p',
      { class: 'period', id: 'form-period' },
      `${form.unitName} · ${describePeriod(ctx.selection.period)} (${form.periodStart} – ${form.periodEnd}) · ${t('hierarchyOf')} ${form.asOf}`,
    ),
    h(
      'div',
      { class: 'actions' },
      exportButtons('form', null, () => ({ path: '/export/form', params: { form: String(number), unit: form.unitId }, period, asOf })),
    ),
    h('div', { class: 'table-wrap' }, formTable(form, number)),
    form.rows.some((r) => r.kind === 'SUBORDINATE') ? h('p', { class: 'hint' }, t('formDrill')) : null,
  );
}

/**
 * Draws a report form; `number` and `unitId` come from the address (#/forms/<form>/<unit>), else
 * form 1 of the caller's own unit. It stays live: a new value of the unit's totals asks for the
 * form again and redraws the form alone (the chooser keeps what is being picked).
 */
export async function formsView(ctx: ViewContext, number: FormNumber = 1, unitId?: string): Promise<void> {
  const { root, selection } = ctx;
  const asOf = effectiveAsOf(selection);
  const period = toPeriodInput(selection.period);
  root.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  let top: FormUnits['top'] | undefined;
  let topError: unknown;
  try {
    top = await unitsToOffer(asOf);
  } catch (err) {
    topError = err;
  }
  const unit = unitId ?? top?.id ?? caller().units[0] ?? '1';
  const ask = async () => (await query<{ form: ReportForm }>(reportFormQuery(number), { unitId: unit, period, asOf })).form;
  let form: ReportForm | undefined;
  let formError: unknown;
  try {
    form = await ask();
  } catch (err) {
    formError = err;
  }
  if (!ctx.isCurrent()) return;
  root.replaceChildren(
    ...present(
      h('h2', {}, t('formsHeading')),
      chooser(number, unit, top, form),
      topError && !form ? errorBox(topError) : null,
      formError ? errorBox(formError) : null,
      form ? formSection(form, number, ctx, period, asOf) : null,
    ),
  );
  if (!form) return;
  // One form request at a time; values arriving meanwhile make one more after it.
  let asking = false;
  let again = false;
  const refresh = async (): Promise<void> => {
    if (asking) {
      again = true;
      return;
    }
    asking = true;
    try {
      const fresh = await ask();
      if (ctx.isCurrent()) root.querySelector('#report-form')?.replaceWith(formSection(fresh, number, ctx, period, asOf));
    } catch {
      // The form drawn stays; the live line shows the connection's state, and the next change asks again.
    } finally {
      asking = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  };
  // The first value is the totals as they are now: asking again then covers a change between the form's answer and the subscription.
  ctx.onLeave(
    ctx.live.subscribe(
      liveFormTotals(number),
      { id: unit, period, asOf },
      () => void refresh(),
      () => {},
    ),
  );
}
