// The ministry's view: the provinces ranked by case and money completion rate, against the
// same period of the previous year and the national target, with the national totals; live.

import { query, type ApiError } from './api.js';
import { rateChart } from './chart.js';
import { h, present } from './dom.js';
import { exportButtons, type ExportRequest } from './downloads.js';
import { formatRate, rateChange } from './format.js';
import { t } from './i18n.js';
import { describePeriod, effectiveAsOf, periodSlug } from './picker.js';
import { previousYear, toPeriodInput } from './period.js';
import {
  LIVE_CASE_RANKING,
  LIVE_MONEY_RANKING,
  LIVE_NATION_TOTALS,
  NATIONAL_RANKINGS,
  NATION_TOTALS,
  type CaseFigures,
  type MoneyFigures,
  type Nation,
  type NationalRankings,
  type RankingRow,
} from './queries.js';
import { csvButton, sortableTable, type Column, type SortState } from './table.js';
import { errorBox, type ViewContext } from './view.js';

/** One province's line of the national table. */
interface Line {
  id: string;
  name: string;
  caseRank: number | null;
  toEnforce: number | null;
  enforceable: number | null;
  done: number | null;
  caseRate: number | null;
  caseChange: number | null;
  moneyEnforceable: string | null;
  moneyDone: string | null;
  moneyRate: number | null;
  moneyChange: number | null;
  moneyRank: number | null;
}

function columns(): Column<Line>[] {
  return [
    { key: 'caseRank', label: t('rankCases'), kind: 'rank', value: (l) => l.caseRank },
    { key: 'name', label: t('province'), kind: 'text', value: (l) => l.name, href: (l) => (l.id ? `#/province/${l.id}` : '') },
    { key: 'toEnforce', label: t('casesToEnforce'), kind: 'count', value: (l) => l.toEnforce },
    { key: 'enforceable', label: t('casesEnforceable'), kind: 'count', value: (l) => l.enforceable },
    { key: 'done', label: t('casesDone'), kind: 'count', value: (l) => l.done },
    { key: 'caseRate', label: t('caseRate'), kind: 'rate', value: (l) => l.caseRate },
    { key: 'caseChange', label: t('caseChange'), kind: 'points', value: (l) => l.caseChange },
    { key: 'moneyEnforceable', label: t('moneyEnforceable'), kind: 'vnd', value: (l) => l.moneyEnforceable },
    { key: 'moneyDone', label: t('moneyDone'), kind: 'vnd', value: (l) => l.moneyDone },
    { key: 'moneyRate', label: t('moneyRate'), kind: 'rate', value: (l) => l.moneyRate },
    { key: 'moneyChange', label: t('moneyChange'), kind: 'points', value: (l) => l.moneyChange },
    { key: 'moneyRank', label: t('rankMoney'), kind: 'rank', value: (l) => l.moneyRank },
  ];
}

/** The table's lines: the case ranking joined with the money ranking and last year's rates by unit id. */
function lines(cases: RankingRow<CaseFigures>[], money: RankingRow<MoneyFigures>[], previous: NationalRankings | undefined): Line[] {
  const moneyOf = new Map(money.map((r) => [r.unit.id, r]));
  const prevCase = new Map(previous?.previousCases.map((r) => [r.unit.id, r.figures.completionRate]));
  const prevMoney = new Map(previous?.previousMoney.map((r) => [r.unit.id, r.figures.completionRate]));
  return cases.map((c) => {
    const m = moneyOf.get(c.unit.id);
    return {
      id: c.unit.id,
      name: c.unit.name,
      caseRank: c.rank,
      toEnforce: c.figures.toEnforce,
      enforceable: c.figures.enforceable,
      done: c.figures.done,
      caseRate: c.figures.completionRate,
      caseChange: rateChange(c.figures.completionRate, prevCase.get(c.unit.id)),
      moneyEnforceable: m?.figures.enforceable ?? null,
      moneyDone: m?.figures.done ?? null,
      moneyRate: m?.figures.completionRate ?? null,
      moneyChange: m ? rateChange(m.figures.completionRate, prevMoney.get(c.unit.id)) : null,
      moneyRank: m?.rank ?? null,
    };
  });
}

function totalLine(nation: Nation): Line {
  return {
    id: '',
    name: t('total'),
    caseRank: null,
    toEnforce: nation.caseStats.toEnforce,
    enforceable: nation.caseStats.enforceable,
    done: nation.caseStats.done,
    caseRate: nation.caseStats.completionRate,
    caseChange: nation.caseStats.change?.completionRate ?? null,
    moneyEnforceable: nation.moneyStats.enforceable,
    moneyDone: nation.moneyStats.done,
    moneyRate: nation.moneyStats.completionRate,
    moneyChange: nation.moneyStats.change?.completionRate ?? null,
    moneyRank: null,
  };
}

/** Draws the national view and keeps it live until the view is left. */
export async function nationalView(ctx: ViewContext): Promise<void> {
  const { root, selection, live } = ctx;
  const asOf = effectiveAsOf(selection);
  const variables = { period: toPeriodInput(selection.period), asOf };
  root.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  let rankings: NationalRankings;
  try {
    rankings = await query<NationalRankings>(NATIONAL_RANKINGS, { ...variables, previous: toPeriodInput(previousYear(selection.period)) });
  } catch (err) {
    if (ctx.isCurrent()) root.replaceChildren(h('h2', {}, t('national')), errorBox(err));
    return;
  }
  let cases = rankings.caseRanking;
  let money = rankings.moneyRanking;
  // The totals are the ministry's figures: a province's token may read the rankings but not them.
  let nation: Nation | undefined;
  let nationError: unknown;
  try {
    nation = (await query<{ ministry: Nation }>(NATION_TOTALS, variables)).ministry;
  } catch (err) {
    nationError = err;
  }
  if (!ctx.isCurrent()) return;
  let sort: SortState = { key: 'caseRank', descending: false };
  const ranking = (report: 'case' | 'money'): ExportRequest => ({
    path: '/export/ranking',
    params: { report, level: 'PROVINCE' },
    period: variables.period,
    asOf,
  });
  let liveError: ApiError | undefined;

  const draw = () => {
    const target = (kind: 'case' | 'money') => (kind === 'case' ? nation?.caseStats.target?.nationalTarget : nation?.moneyStats.target?.nationalTarget) ?? null;
    const table = sortableTable({
      id: 'national-table',
      caption: `${describePeriod(selection.period)} · ${t('hierarchyOf')} ${asOf}`,
      columns: columns(),
      rows: lines(cases, money, rankings),
      rowKey: (l) => l.id,
      footer: nation ? totalLine(nation) : undefined,
      sort,
      onSort: (next) => {
        sort = next;
        draw();
      },
      previous: document.getElementById('national-table') as HTMLTableElement | null,
    });
    const targetText = (kind: 'case' | 'money') => {
      const value = target(kind);
      return value === null ? t('noTarget') : formatRate(value);
    };
    root.replaceChildren(
      ...present(
        h('h2', {}, `${t('national')} – ${t('nationalHeading')} (${cases.length})`),
        h(
          'p',
          { class: 'targets', id: 'national-targets' },
          `${t('nationalTarget')}: ${t('chartCases').toLowerCase()} ${targetText('case')}; ${t('chartMoney').toLowerCase()} ${targetText('money')}`,
        ),
        nationError ? errorBox(nationError) : null,
        liveError ? errorBox(liveError) : null,
        h(
          'div',
          { class: 'actions' },
          exportButtons('national-case', t('exportCases'), () => ranking('case')),
          exportButtons('national-money', t('exportMoney'), () => ranking('money')),
          // The joined table with last year's change and the national total has no server export: it is saved as shown.
          csvButton(t('downloadScreenCsv'), 'national-table', () => `thads-toan-quoc-${periodSlug(selection.period)}.csv`),
        ),
        h('div', { class: 'table-wrap' }, table),
        h(
          'div',
          { class: 'charts' },
          rateChart({
            id: 'chart-cases',
            title: t('chartCases'),
            bars: cases.map((r) => ({ key: r.unit.id, label: r.unit.name, value: r.figures.completionRate })),
            target: target('case'),
            targetLabel: t('nationalTarget'),
          }),
          rateChart({
            id: 'chart-money',
            title: t('chartMoney'),
            bars: money.map((r) => ({ key: r.unit.id, label: r.unit.name, value: r.figures.completionRate })),
            target: target('money'),
            targetLabel: t('nationalTarget'),
          }),
        ),
      ),
    );
  };
  draw();

  const failed = (err: ApiError) => {
    liveError = err;
    draw();
  };
  ctx.onLeave(
    live.subscribe<{ liveCaseRanking: RankingRow<CaseFigures>[] }>(
      LIVE_CASE_RANKING,
      variables,
      (v) => {
        cases = v.liveCaseRanking;
        draw();
      },
      failed,
    ),
  );
  ctx.onLeave(
    live.subscribe<{ liveMoneyRanking: RankingRow<MoneyFigures>[] }>(
      LIVE_MONEY_RANKING,
      variables,
      (v) => {
        money = v.liveMoneyRanking;
        draw();
      },
      failed,
    ),
  );
  if (nation)
    ctx.onLeave(
      live.subscribe<{ liveMinistry: Nation }>(
        LIVE_NATION_TOTALS,
        variables,
        (v) => {
          nation = v.liveMinistry;
          draw();
        },
        failed,
      ),
    );
}
