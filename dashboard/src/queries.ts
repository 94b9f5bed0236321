// The GraphQL documents of the views. Each live subscription has the same selection as the
// query that draws the view first, so a pushed value replaces the drawn one field for field.

const CASE_ROW = 'rank value unit { id code name } figures { toEnforce enforceable done completionRate }';
const MONEY_ROW = 'rank value unit { id code name } figures { enforceable done completionRate }';
const NATION = `name
  caseStats(period: $period, asOf: $asOf) { toEnforce enforceable done completionRate change { completionRate } target { nationalTarget } }
  moneyStats(period: $period, asOf: $asOf) { enforceable done completionRate change { completionRate } target { nationalTarget } }`;
const PROVINCE = `id code name type
  caseStats(period: $period, asOf: $asOf) { newlyReceived toEnforce enforceable done completionRate change { completionRate } target { unitTarget nationalTarget } }
  moneyStats(period: $period, asOf: $asOf) { enforceable done collected completionRate change { completionRate } target { unitTarget nationalTarget } }`;

/** The 34 provinces ranked by cases and by money, with the same period of the previous year on the same hierarchy. */
export const NATIONAL_RANKINGS = `query NationalRankings($period: PeriodInput!, $previous: PeriodInput!, $asOf: Date!) {
  caseRanking(period: $period, asOf: $asOf) { ${CASE_ROW} }
  moneyRanking(period: $period, asOf: $asOf) { ${MONEY_ROW} }
  previousCases: caseRanking(period: $previous, asOf: $asOf) { rank unit { id } figures { completionRate } }
  previousMoney: moneyRanking(period: $previous, asOf: $asOf) { rank unit { id } figures { completionRate } }
}`;

/** The rankings, live: re-ranked after every committed change. */
export const LIVE_CASE_RANKING = `subscription LiveCaseRanking($period: PeriodInput!, $asOf: Date!) { liveCaseRanking(period: $period, asOf: $asOf) { ${CASE_ROW} } }`;
/** See LIVE_CASE_RANKING. */
export const LIVE_MONEY_RANKING = `subscription LiveMoneyRanking($period: PeriodInput!, $asOf: Date!) { liveMoneyRanking(period: $period, asOf: $asOf) { ${MONEY_ROW} } }`;

/** The national totals (the ministry's figures), with the change against last year and the national targets. */
export const NATION_TOTALS = `query NationTotals($period: PeriodInput!, $asOf: Date!) { ministry { ${NATION} } }`;
/** The national totals, live. */
export const LIVE_NATION_TOTALS = `subscription LiveNationTotals($period: PeriodInput!, $asOf: Date!) { liveMinistry { ${NATION} } }`;

/**
 * A province's figures and its wards ranked by the API (`level: WARD, within:` the province):
 * the API ranks and checks that the caller may read the province, the dashboard only shows.
 */
export const PROVINCE_FIGURES = `query ProvinceFigures($id: ID!, $period: PeriodInput!, $asOf: Date!) {
  unit(id: $id) { ${PROVINCE} }
  wardCases: caseRanking(period: $period, asOf: $asOf, level: WARD, within: $id) { ${CASE_ROW} }
  wardMoney: moneyRanking(period: $period, asOf: $asOf, level: WARD, within: $id) { ${MONEY_ROW} }
}`;
/** The province's own figures, live. */
export const LIVE_PROVINCE_FIGURES = `subscription LiveProvinceFigures($id: ID!, $period: PeriodInput!, $asOf: Date!) { liveUnit(id: $id) { ${PROVINCE} } }`;
/** Its wards' case ranking, live. */
export const LIVE_WARD_CASES = `subscription LiveWardCases($id: ID!, $period: PeriodInput!, $asOf: Date!) {
  liveCaseRanking(period: $period, asOf: $asOf, level: WARD, within: $id) { ${CASE_ROW} } }`;
/** Its wards' money ranking, live. */
export const LIVE_WARD_MONEY = `subscription LiveWardMoney($id: ID!, $period: PeriodInput!, $asOf: Date!) {
  liveMoneyRanking(period: $period, asOf: $asOf, level: WARD, within: $id) { ${MONEY_ROW} } }`;

/** A province's units and where they came from: its lineage (old provinces) and their districts, and its wards' own lineage. */
export const PROVINCE_TREE = `query ProvinceTree($id: ID!, $asOf: Date!) {
  unit(id: $id) {
    id name
    lineage { kind effectiveOn from { id name type validFrom validUntil children { id name type } } to { id } }
    children(asOf: $asOf) { id name wardKind lineage { kind effectiveOn from { id name type } to { id } } }
  }
}`;

/** Figures of one unit for one period, as drawn. */
export interface CaseFigures {
  newlyReceived?: number;
  toEnforce: number;
  enforceable: number;
  done: number;
  completionRate: number | null;
  change?: { completionRate: number | null };
  target?: { unitTarget?: number | null; nationalTarget: number | null };
}
/** Money figures: VND amounts are exact digit strings. */
export interface MoneyFigures {
  enforceable: string;
  done: string;
  collected?: string;
  completionRate: number | null;
  change?: { completionRate: number | null };
  target?: { unitTarget?: number | null; nationalTarget: number | null };
}
/** A unit as the rankings name it. */
export interface UnitRef {
  id: string;
  code: string;
  name: string;
}
/** A ranking row. */
export interface RankingRow<F> {
  rank: number;
  value: string | null;
  unit: UnitRef;
  figures: F;
}
/** The answer of NATIONAL_RANKINGS. */
export interface NationalRankings {
  caseRanking: RankingRow<CaseFigures>[];
  moneyRanking: RankingRow<MoneyFigures>[];
  previousCases: { rank: number; unit: { id: string }; figures: { completionRate: number | null } }[];
  previousMoney: { rank: number; unit: { id: string }; figures: { completionRate: number | null } }[];
}
/** The ministry's figures. */
export interface Nation {
  name: string;
  caseStats: CaseFigures;
  moneyStats: MoneyFigures;
}
/** A province's own figures. */
export interface Province extends UnitRef {
  type: string;
  caseStats: CaseFigures;
  moneyStats: MoneyFigures;
}
/** The answer of PROVINCE_FIGURES. */
export interface ProvinceFigures {
  unit: Province;
  wardCases: RankingRow<CaseFigures>[];
  wardMoney: RankingRow<MoneyFigures>[];
}
/** One lineage edge. */
export interface LineageEdge {
  kind: string;
  effectiveOn: string;
  from: { id: string; name: string; type: string; validFrom?: string; validUntil?: string | null; children?: { id: string; name: string; type: string }[] };
  to: { id: string };
}
/** The answer of PROVINCE_TREE. */
export interface ProvinceTree {
  unit: { id: string; name: string; lineage: LineageEdge[]; children: { id: string; name: string; wardKind: string | null; lineage: LineageEdge[] }[] };
}

/** The query of each report form the API fills: form 1 by case, 2 by money, 8 complaints. */
export const FORM_QUERIES: Record<FormNumber, string> = {
  1: 'caseReportForm',
  2: 'moneyReportForm',
  8: 'complaintReportForm',
};
/** The report forms the API fills. */
export type FormNumber = 1 | 2 | 8;

/** A report form as the API returns it, for a unit and a period. */
export function reportFormQuery(form: FormNumber): string {
  return `query ReportForm($unitId: ID!, $period: PeriodInput!, $asOf: Date) {
  form: ${FORM_QUERIES[form]}(unitId: $unitId, period: $period, asOf: $asOf) {
    form title titleEn unitId unitName periodStart periodEnd asOf
    columns { key label labelEn kind }
    rows { kind label unitId values }
  }
}`;
}

/**
 * The figures a form's cells come from, per form: the form's unit's own totals, live. Any change
 * to a cell of the form changes its total row, so a new value of these is the signal to ask for
 * the form again (the gateway answers the unchanged parts from memory).
 */
const FORM_TOTALS: Record<FormNumber, string> = {
  1: 'caseStats(period: $period, asOf: $asOf) { carriedOver newlyReceived entrustedOut withdrawn separateBook enforceable done completed terminated notEnforceable carriedToNext }',
  2: 'moneyStats(period: $period, asOf: $asOf) { carriedOver newlyReceived entrustedOut withdrawn separateBook enforceable done collected stateBudgetCollected notEnforceable carriedToNext }',
  8: 'complaintStats(period: $period, asOf: $asOf) { carriedOver newlyReceived receptions citizensReceived resolved pending }',
};

/** A form's unit's totals, live: see FORM_TOTALS. */
export function liveFormTotals(form: FormNumber): string {
  return `subscription LiveFormTotals($id: ID!, $period: PeriodInput!, $asOf: Date!) { liveUnit(id: $id) { ${FORM_TOTALS[form]} } }`;
}

/** The units a form may be asked for at first: the top one the caller reads (the nation or its province) and those directly under it. */
export const FORM_UNITS_OF_NATION = `query FormUnitsOfNation($asOf: Date!) { top: ministry { id name children(asOf: $asOf) { id name } } }`;
/** See FORM_UNITS_OF_NATION: a province's token starts at its province. */
export const FORM_UNITS_OF_UNIT = `query FormUnitsOfUnit($id: ID!, $asOf: Date!) { top: unit(id: $id) { id name children(asOf: $asOf) { id name } } }`;

/** The answer of the form units' queries. */
export interface FormUnits {
  top: { id: string; name: string; children: { id: string; name: string }[] };
}

/** One column of a form. */
export interface ReportFormColumn {
  key: string;
  label: string;
  labelEn: string;
  kind: 'COUNT' | 'VND' | 'RATE';
}
/** One row of a form: TOTAL first, then OWN, then the SUBORDINATE units. */
export interface ReportFormRow {
  kind: 'TOTAL' | 'OWN' | 'SUBORDINATE';
  label: string;
  unitId: string;
  values: (string | null)[];
}
/** A report form. */
export interface ReportForm {
  form: number;
  title: string;
  titleEn: string;
  unitId: string;
  unitName: string;
  periodStart: string;
  periodEnd: string;
  asOf: string;
  columns: ReportFormColumn[];
  rows: ReportFormRow[];
}
