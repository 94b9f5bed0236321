import { GraphQLError } from 'graphql';
import { ErrorCode, statisticalYearOf, todayInVietnam } from '@thads/kit';
import type { CellKind, ExportTable } from './export-table';
import { asciiName } from './export-table';

/** Runs one GraphQL operation as the caller of the export request (same token, rights and limits). */
export type Execute = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

const badRequest = (message: string, details: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...details, http: { status: 400 } } });

const INT_RE = /^\d{1,4}$/;

/** The period of the query string (year, months, quarter, fromMonth, toMonth), as PeriodInput; without a year or a month range, of the current statistical year. */
export function periodOf(params: URLSearchParams): Record<string, unknown> {
  const period: Record<string, unknown> = {};
  for (const name of ['year', 'months', 'quarter']) {
    const value = params.get(name);
    if (value === null || value === '') continue;
    if (!INT_RE.test(value)) throw badRequest(`"${name}" must be a whole number, e.g. ${name}=${name === 'year' ? '2026' : '6'}.`, { field: name });
    period[name] = Number(value);
  }
  for (const name of ['fromMonth', 'toMonth']) {
    const value = params.get(name);
    if (value) period[name] = value;
  }
  if (period.year === undefined && !period.fromMonth && !period.toMonth) period.year = statisticalYearOf(todayInVietnam());
  return period;
}

const FORMS: Record<string, { field: string }> = { '1': { field: 'caseReportForm' }, '2': { field: 'moneyReportForm' }, '8': { field: 'complaintReportForm' } };

interface FormAnswer {
  form: number;
  title: string;
  titleEn: string;
  unitName: string;
  periodStart: string;
  periodEnd: string;
  columns: { label: string; labelEn: string; kind: CellKind }[];
  rows: { label: string; values: (string | null)[] }[];
}

/** A report form (1, 2 or 8) of a unit (id or code) for a period, as a table: one row a form row, its heading first. */
export async function formTable(params: URLSearchParams, execute: Execute, english: boolean): Promise<ExportTable> {
  const form = FORMS[params.get('form') ?? ''];
  if (!form) throw badRequest(`"form" must be 1 (results by case), 2 (results by money) or 8 (complaints and denunciations), e.g. form=1.`, { field: 'form' });
  const unit = params.get('unit') ?? '1';
  const asOf = params.get('asOf') || undefined;
  // A code names the unit valid on asOf (an old province's code, with an asOf before the merger).
  const unitId = /^\d+$/.test(unit)
    ? unit
    : ((await execute('query($code: String!, $asOf: Date) { unitByCode(code: $code, asOf: $asOf) { id } }', { code: unit, asOf })).unitByCode as { id: string })
        .id;
  const data = await execute(
    `query($unitId: ID!, $period: PeriodInput!, $asOf: Date) { form: ${form.field}(unitId: $unitId, period: $period, asOf: $asOf) {
      form title titleEn unitName periodStart periodEnd columns { label labelEn kind } rows { label values } } }`,
    { unitId, period: periodOf(params), asOf },
  );
  const answer = data.form as FormAnswer;
  const title = `${english ? `Form ${answer.form}: ${answer.titleEn}` : `Biểu số ${answer.form}: ${answer.title}`} – ${answer.unitName}, ${answer.periodStart} – ${answer.periodEnd}`;
  return {
    title,
    fileName: `bieu-${answer.form}-${asciiName(answer.unitName)}-${answer.periodStart}-${answer.periodEnd}`,
    columns: [{ label: english ? 'Unit' : 'Đơn vị', kind: 'TEXT' }, ...answer.columns.map((c) => ({ label: english ? c.labelEn : c.label, kind: c.kind }))],
    rows: answer.rows.map((r) => [r.label, ...r.values]),
  };
}

/** The rankings the dashboard shows, each with the figures beside its value. */
const RANKINGS: Record<string, { field: string; figures: [string, string, string, CellKind][]; vi: string; en: string }> = {
  case: {
    field: 'caseRanking',
    vi: 'Xếp hạng theo tỷ lệ thi hành xong về việc',
    en: 'Ranking by case completion rate',
    figures: [
      ['enforceable', 'Có điều kiện thi hành', 'Enforceable', 'COUNT'],
      ['done', 'Thi hành xong', 'Done', 'COUNT'],
      ['completionRate', 'Tỷ lệ thi hành xong (%)', 'Completion rate (%)', 'RATE'],
    ],
  },
  money: {
    field: 'moneyRanking',
    vi: 'Xếp hạng theo tỷ lệ thi hành xong về tiền',
    en: 'Ranking by money completion rate',
    figures: [
      ['enforceable', 'Có điều kiện thi hành (đồng)', 'Enforceable (VND)', 'VND'],
      ['done', 'Thi hành xong (đồng)', 'Done (VND)', 'VND'],
      ['completionRate', 'Tỷ lệ thi hành xong (%)', 'Completion rate (%)', 'RATE'],
    ],
  },
  complaint: {
    field: 'complaintRanking',
    vi: 'Xếp hạng theo tỷ lệ giải quyết khiếu nại, tố cáo',
    en: 'Ranking by petition resolution rate',
    figures: [
      ['toResolve', 'Phải giải quyết', 'To resolve', 'COUNT'],
      ['resolved', 'Đã giải quyết', 'Resolved', 'COUNT'],
      ['resolutionRate', 'Tỷ lệ giải quyết (%)', 'Resolution rate (%)', 'RATE'],
    ],
  },
};

const cell = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === 'number' ? String(value) : String(value));

/** A ranking (report=case|money|complaint, level, within, period) as a table: rank, unit, then the figures. */
export async function rankingTable(params: URLSearchParams, execute: Execute, english: boolean): Promise<ExportTable> {
  const report = RANKINGS[params.get('report') ?? 'case'];
  if (!report) throw badRequest(`"report" must be case, money or complaint, e.g. report=money.`, { field: 'report' });
  const level = params.get('level') ?? 'PROVINCE';
  if (!/^[A-Z]{1,20}$/.test(level)) throw badRequest('"level" must be PROVINCE, DISTRICT or WARD.', { field: 'level' });
  const period = periodOf(params);
  const data = await execute(
    `query($period: PeriodInput!, $asOf: Date, $within: ID) { ranking: ${report.field}(period: $period, level: ${level}, asOf: $asOf, within: $within) {
      rank unit { name } figures { ${report.figures.map(([key]) => key).join(' ')} } } }`,
    { period, asOf: params.get('asOf') || undefined, within: params.get('within') || undefined },
  );
  const rows = data.ranking as { rank: number; unit: { name: string }; figures: Record<string, unknown> }[];
  const when = Object.entries(period)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  return {
    title: `${english ? report.en : report.vi} (${when})`,
    fileName: `xep-hang-${params.get('report') ?? 'case'}-${asciiName(when)}`,
    columns: [
      { label: english ? 'Rank' : 'Hạng', kind: 'COUNT' },
      { label: english ? 'Unit' : 'Đơn vị', kind: 'TEXT' },
      ...report.figures.map(([, vi, en, kind]) => ({ label: english ? en : vi, kind })),
    ],
    rows: rows.map((r) => [String(r.rank), r.unit.name, ...report.figures.map(([key]) => cell(r.figures[key]))]),
  };
}
