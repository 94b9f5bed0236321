// A province's view: its figures, its wards as the API ranks them (caseRanking and
// moneyRanking with `level: WARD, within:` the province), and the tree of its units with the
// old provinces and districts they came from; live.

import { query, type ApiError } from './api.js';
import { h, present } from './dom.js';
import { exportButtons, type ExportRequest } from './downloads.js';
import { collator, formatCount, formatPoints, formatRate, formatVnd } from './format.js';
import { t, type LabelKey } from './i18n.js';
import { describePeriod, effectiveAsOf } from './picker.js';
import { toPeriodInput } from './period.js';
import {
  LIVE_PROVINCE_FIGURES,
  LIVE_WARD_CASES,
  LIVE_WARD_MONEY,
  PROVINCE_FIGURES,
  PROVINCE_TREE,
  type CaseFigures,
  type LineageEdge,
  type MoneyFigures,
  type Province,
  type ProvinceFigures,
  type ProvinceTree,
  type RankingRow,
} from './queries.js';
import { sortableTable, type Column, type SortState } from './table.js';
import { errorBox, type ViewContext } from './view.js';

/** One ward's line (or the province's total line). */
interface Line {
  id: string;
  name: string;
  rank: number | null;
  toEnforce: number;
  enforceable: number;
  done: number;
  caseRate: number | null;
  moneyEnforceable: string | null;
  moneyDone: string | null;
  moneyRate: number | null;
}

function columns(): Column<Line>[] {
  return [
    { key: 'rank', label: t('rank'), kind: 'rank', value: (l) => l.rank },
    { key: 'name', label: t('ward'), kind: 'text', value: (l) => l.name },
    { key: 'toEnforce', label: t('casesToEnforce'), kind: 'count', value: (l) => l.toEnforce },
    { key: 'enforceable', label: t('casesEnforceable'), kind: 'count', value: (l) => l.enforceable },
    { key: 'done', label: t('casesDone'), kind: 'count', value: (l) => l.done },
    { key: 'caseRate', label: t('caseRate'), kind: 'rate', value: (l) => l.caseRate },
    { key: 'moneyEnforceable', label: t('moneyEnforceable'), kind: 'vnd', value: (l) => l.moneyEnforceable },
    { key: 'moneyDone', label: t('moneyDone'), kind: 'vnd', value: (l) => l.moneyDone },
    { key: 'moneyRate', label: t('moneyRate'), kind: 'rate', value: (l) => l.moneyRate },
  ];
}

function line(id: string, name: string, rank: number | null, cases: CaseFigures, money: MoneyFigures | undefined): Line {
  return {
    id,
    name,
    rank,
    toEnforce: cases.toEnforce,
    enforceable: cases.enforceable,
    done: cases.done,
    caseRate: cases.completionRate,
    moneyEnforceable: money?.enforceable ?? null,
    moneyDone: money?.done ?? null,
    moneyRate: money?.completionRate ?? null,
  };
}

/** The wards' lines: the API's case ranking (its ranks) joined with its money ranking by unit id. */
function wardLines(cases: RankingRow<CaseFigures>[], money: RankingRow<MoneyFigures>[]): Line[] {
  const moneyOf = new Map(money.map((r) => [r.unit.id, r.figures]));
  return cases.map((r) => line(r.unit.id, r.unit.name, r.rank, r.figures, moneyOf.get(r.unit.id)));
}

/** One figure card: the label, the formatted value, and the exact value in data-value. */
function card(key: string, label: LabelKey, text: string, raw: string | number | null | undefined): HTMLElement {
  return h(
    'div',
    { class: 'card', 'data-figure': key, 'data-value': raw === null || raw === undefined ? '' : String(raw) },
    h('dt', {}, t(label)),
    h('dd', {}, text),
  );
}

function cards(p: Province): HTMLElement {
  const c = p.caseStats;
  const m = p.moneyStats;
  return h(
    'dl',
    { class: 'cards', id: 'province-figures' },
    card('case.newlyReceived', 'casesNewlyReceived', formatCount(c.newlyReceived), c.newlyReceived),
    card('case.toEnforce', 'casesToEnforce', formatCount(c.toEnforce), c.toEnforce),
    card('case.enforceable', 'casesEnforceable', formatCount(c.enforceable), c.enforceable),
    card('case.done', 'casesDone', formatCount(c.done), c.done),
    card('case.completionRate', 'caseRate', formatRate(c.completionRate), c.completionRate),
    card('case.change', 'caseChange', formatPoints(c.change?.completionRate), c.change?.completionRate),
    card('case.unitTarget', 'unitTarget', c.target?.unitTarget == null ? t('noTarget') : formatRate(c.target.unitTarget), c.target?.unitTarget),
    card(
      'case.nationalTarget',
      'nationalTarget',
      c.target?.nationalTarget == null ? t('noTarget') : formatRate(c.target.nationalTarget),
      c.target?.nationalTarget,
    ),
    card('money.enforceable', 'moneyEnforceable', formatVnd(m.enforceable), m.enforceable),
    card('money.done', 'moneyDone', formatVnd(m.done), m.done),
    card('money.collected', 'moneyCollected', formatVnd(m.collected), m.collected),
    card('money.completionRate', 'moneyRate', formatRate(m.completionRate), m.completionRate),
    card('money.change', 'moneyChange', formatPoints(m.change?.completionRate), m.change?.completionRate),
  );
}

function byName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => collator.compare(a.name, b.name));
}

function lineageLabel(edge: LineageEdge): string {
  const key = `lineage${edge.kind}` as LabelKey;
  return `${t(key)} · ${edge.effectiveOn}`;
}

/** The province, its current wards (with their own predecessors, if any), and the old provinces it was formed from with their districts. */
function tree(data: ProvinceTree['unit']): HTMLElement {
  const wards = byName(data.children).map((w) => {
    const sources = w.lineage.filter((e) => e.to.id === w.id);
    return h('li', { 'data-unit': w.id }, w.name, sources.length ? ` ← ${sources.map((e) => `${e.from.name} (${lineageLabel(e)})`).join('; ')}` : '');
  });
  const sources = data.lineage.filter((e) => e.to.id === data.id);
  const olds = [...sources]
    .sort((a, b) => collator.compare(a.from.name, b.from.name))
    .map((e) =>
      h(
        'li',
        { 'data-unit': e.from.id, class: 'old' },
        h('span', { class: 'old-name' }, e.from.name),
        ` (${e.from.validFrom ?? ''} – ${e.from.validUntil ?? ''}; ${lineageLabel(e)})`,
        e.from.children?.length
          ? h(
              'details',
              {},
              h('summary', {}, `${t('oldDistricts')} (${e.from.children.length})`),
              h('ul', {}, ...byName(e.from.children).map((d) => h('li', { 'data-unit': d.id }, d.name))),
            )
          : null,
      ),
    );
  return h(
    'ul',
    { class: 'tree', id: 'unit-tree' },
    h(
      'li',
      { 'data-unit': data.id },
      h('strong', {}, data.name),
      h(
        'ul',
        {},
        h('li', {}, h('details', { open: wards.length <= 30 }, h('summary', {}, `${t('currentUnits')} (${wards.length})`), h('ul', {}, ...wards))),
        h('li', { id: 'formed-from' }, `${t('formedFrom')}:`, olds.length ? h('ul', {}, ...olds) : ` ${t('noLineage')}`),
      ),
    ),
  );
}

/** Draws a province's view and keeps its figures live until the view is left. */
export async function provinceView(ctx: ViewContext, id: string): Promise<void> {
  const { root, selection, live } = ctx;
  const asOf = effectiveAsOf(selection);
  const variables = { id, period: toPeriodInput(selection.period), asOf };
  root.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  let province: Province;
  let wardCases: RankingRow<CaseFigures>[];
  let wardMoney: RankingRow<MoneyFigures>[];
  let lineage: ProvinceTree['unit'] | undefined;
  let treeError: unknown;
  try {
    ({ unit: province, wardCases, wardMoney } = await query<ProvinceFigures>(PROVINCE_FIGURES, variables));
  } catch (err) {
    if (ctx.isCurrent()) root.replaceChildren(h('p', {}, h('a', { href: '#/national' }, t('backToNational'))), errorBox(err));
    return;
  }
  try {
    lineage = (await query<ProvinceTree>(PROVINCE_TREE, { id, asOf })).unit;
  } catch (err) {
    treeError = err;
  }
  if (!ctx.isCurrent()) return;
  let sort: SortState = { key: 'rank', descending: false };
  // The same rankings as the table, as files: the API's wards of this province.
  const ranking = (report: 'case' | 'money'): ExportRequest => ({
    path: '/export/ranking',
    params: { report, level: 'WARD', within: id },
    period: variables.period,
    asOf,
  });
  let liveError: ApiError | undefined;
  const treeNode = lineage ? tree(lineage) : errorBox(treeError);

  const draw = () => {
    const table = sortableTable({
      id: 'ward-table',
      caption: `${t('wardsHeading')} · ${describePeriod(selection.period)} · ${t('hierarchyOf')} ${asOf}`,
      columns: columns(),
      rows: wardLines(wardCases, wardMoney),
      rowKey: (l) => l.id,
      footer: line(province.id, t('provinceTotal'), null, province.caseStats, province.moneyStats),
      sort,
      onSort: (next) => {
        sort = next;
        draw();
      },
      previous: document.getElementById('ward-table') as HTMLTableElement | null,
    });
    root.replaceChildren(
      ...present(
        h('p', {}, h('a', { href: '#/national' }, t('backToNational'))),
        h('h2', { id: 'province-name', 'data-unit': province.id }, province.name),
        h('p', { class: 'period' }, `${describePeriod(selection.period)} · ${t('hierarchyOf')} ${asOf}`),
        liveError ? errorBox(liveError) : null,
        cards(province),
        h('h3', {}, t('wardsHeading')),
        h(
          'div',
          { class: 'actions' },
          exportButtons('ward-case', t('exportCases'), () => ranking('case')),
          exportButtons('ward-money', t('exportMoney'), () => ranking('money')),
        ),
        h('div', { class: 'table-wrap' }, table),
        h('h3', {}, t('treeHeading')),
        treeNode,
      ),
    );
  };
  draw();
  const failed = (err: ApiError) => {
    liveError = err;
    draw();
  };
  const updated = (apply: () => void) => {
    apply();
    liveError = undefined;
    draw();
  };
  ctx.onLeave(live.subscribe<{ liveUnit: Province }>(LIVE_PROVINCE_FIGURES, variables, (v) => updated(() => (province = v.liveUnit)), failed));
  ctx.onLeave(
    live.subscribe<{ liveCaseRanking: RankingRow<CaseFigures>[] }>(LIVE_WARD_CASES, variables, (v) => updated(() => (wardCases = v.liveCaseRanking)), failed),
  );
  ctx.onLeave(
    live.subscribe<{ liveMoneyRanking: RankingRow<MoneyFigures>[] }>(
      LIVE_WARD_MONEY,
      variables,
      (v) => updated(() => (wardMoney = v.liveMoneyRanking)),
      failed,
    ),
  );
}
