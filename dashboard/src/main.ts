// The dashboard's entry: the header (who you are, sign-in, language, live state), the views'
// links, the period picker, and the view the address names (#/national, #/province/<id>,
// #/forms or #/forms/<form>/<unit>).

import { h } from './dom.js';
import { formatTime, todayInVietnam } from './format.js';
import { currentLang, setLang, t, type LabelKey } from './i18n.js';
import { RETRY_EVENT } from './api.js';
import { Live, type LiveState } from './live.js';
import { loadCaller } from './me.js';
import { formsView } from './forms-view.js';
import { nationalView } from './national-view.js';
import { periodPicker, type Selection } from './picker.js';
import { defaultPeriod } from './period.js';
import type { FormNumber } from './queries.js';
import { provinceView } from './province-view.js';
import { caller, setCredential } from './session.js';

const app = document.getElementById('app')!;
let selection: Selection = { period: defaultPeriod(todayInVietnam()), asOf: '' };
let liveState: LiveState = 'idle';
let lastChange: Date | undefined;
let leave: (() => void)[] = [];
let generation = 0;

const STATE_LABEL: Record<LiveState, LabelKey> = {
  idle: 'liveIdle',
  connecting: 'liveConnecting',
  connected: 'liveConnected',
  reconnecting: 'liveReconnecting',
};

const status = h('p', { id: 'live', class: 'live' });
function drawStatus(): void {
  status.replaceChildren(
    h('span', { id: 'live-state', 'data-state': liveState, class: `state ${liveState}` }, t(STATE_LABEL[liveState])),
    ' · ',
    h(
      'span',
      { id: 'last-change', 'data-time': lastChange?.toISOString() ?? '' },
      `${t('lastChange')}: ${lastChange ? formatTime(lastChange) : t('noChangeYet')}`,
    ),
  );
}
const live = new Live((state, changed) => {
  liveState = state;
  lastChange = changed;
  drawStatus();
});

const ROLE_LABEL: Record<string, LabelKey> = { ministry: 'roleMinistry', province: 'roleProvince', integrator: 'roleIntegrator', reporter: 'roleReporter' };

/** Who you are: as the API said (`me`: role and units, names included), else as the credential looks. */
function whoAmI(): HTMLElement {
  const me = caller();
  const who = h('span', { id: 'who', 'data-kind': me.kind, 'data-role': me.role ?? '', 'data-verified': me.verified ? 'yes' : 'no' });
  if (me.kind === 'anonymous') {
    who.append(t('anonymous'));
    return who;
  }
  if (me.kind === 'apiKey') who.append(`${t('apiKey')}${me.role ? ' · ' : ''}`);
  if (me.kind === 'apiKey' && !me.role) return who;
  who.append(`${t('role')}: ${me.role && ROLE_LABEL[me.role] ? t(ROLE_LABEL[me.role]) : (me.role ?? '?')}`);
  if (me.units.length) {
    const names = me.unitNames ?? me.units;
    who.append(h('span', { class: 'units' }, ` – ${names[0]}${names.length > 1 ? ` (+${names.length - 1})` : ''}`));
  }
  return who;
}

function signInForm(): HTMLElement {
  const me = caller();
  if (me.kind !== 'anonymous') return h('button', { type: 'button', id: 'sign-out', onclick: () => void changeCredential(null) }, t('signOut'));
  const input = h('input', { id: 'credential', type: 'password', autocomplete: 'off', placeholder: t('credential'), 'aria-label': t('credential') });
  const form = h('form', { id: 'sign-in', class: 'sign-in' }, input, h('button', { type: 'submit' }, t('signIn')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void changeCredential(input.value);
  });
  return form;
}

/** A new credential: the live connection is made again with it, and the caller's own view opens. */
async function changeCredential(value: string | null): Promise<void> {
  setCredential(value);
  leaveView();
  await Promise.all([live.reset(), loadCaller()]);
  drawFrame();
  const home = homeRoute();
  if (location.hash === home) void route();
  else location.hash = home;
}

/** Where a caller starts: a province's token at its own province, everyone else at the national view. */
function homeRoute(): string {
  const me = caller();
  return me.role === 'province' && me.units.length ? `#/province/${me.units[0]}` : '#/national';
}

const main = h('main', { id: 'view' });

/** Links to the views: the nation, one's own province (a province's token), the report forms. */
function nav(): HTMLElement {
  const me = caller();
  return h(
    'nav',
    { class: 'views', id: 'views' },
    h('a', { href: '#/national', id: 'nav-national' }, t('national')),
    me.role === 'province' && me.units.length ? h('a', { href: `#/province/${me.units[0]}`, id: 'nav-province' }, t('myProvince')) : null,
    h('a', { href: '#/forms', id: 'nav-forms' }, t('forms')),
  );
}

function drawFrame(): void {
  document.title = t('title');
  document.documentElement.lang = currentLang();
  const lang = h(
    'button',
    { type: 'button', id: 'language', onclick: () => (setLang(currentLang() === 'vi' ? 'en' : 'vi'), drawFrame(), void route()) },
    t('language'),
  );
  app.replaceChildren(
    h('header', {}, h('h1', {}, h('a', { href: '#/national' }, t('title'))), h('div', { class: 'me' }, whoAmI(), signInForm(), lang)),
    nav(),
    status,
    periodPicker(selection, (next) => {
      selection = next;
      void route();
    }),
    main,
  );
  drawStatus();
}

function leaveView(): void {
  for (const cleanup of leave) cleanup();
  leave = [];
  generation++;
}

/** Opens the view the address names. */
async function route(): Promise<void> {
  leaveView();
  const mine = generation;
  const ctx = { root: main, selection, live, onLeave: (cleanup: () => void) => leave.push(cleanup), isCurrent: () => generation === mine };
  const province = /^#\/province\/(\d+)$/.exec(location.hash);
  if (province) return provinceView(ctx, province[1]);
  const forms = /^#\/forms(?:\/(1|2|8)\/(\d+))?$/.exec(location.hash);
  if (forms) return formsView(ctx, forms[1] ? (Number(forms[1]) as FormNumber) : 1, forms[2]);
  if (location.hash !== '#/national') {
    location.replace(homeRoute());
    return;
  }
  return nationalView(ctx);
}

window.addEventListener('hashchange', () => void route());
window.addEventListener(RETRY_EVENT, () => void route());
drawFrame();
// The first view waits for the API to say who the caller is (one small query): a province's key opens its province.
void loadCaller().then(() => {
  drawFrame();
  void route();
});
