// The GraphQL documents of the views. Each live subscription has the same selection as the
// query that draws the view first, so a pushed value replaces the drawn one field for field.

const CASE_ROW = 'rank value unit { id code name } figures { toEnforce enforceable done completionRate }';
const MONEY_ROW = 'rank value unit { id code name } figures { enforceable done completionRate }';
const NATION = `name
  caseStats(period: $period, asOf: $asOf) { toEnforce enforceable done completionRate change { completionRate } target { nationalTarget } }
  moneyStats(period: $period, asOf: $asOf) { enforceable done completionRate change { completionRate } target { nationalTarget } }`;
const PROVINCE = `id code name type
  caseStats(period: $period, asOf: $asOf) { newlyReceived toEnforce enforceable done completionRate change { completionRate } target { unitTarget nationalTarget } }
  moneyStats(period: $period, asOf: $asOf) { enforceable done collected completionRate change { completionRate } target { unitTarget nationalTarget } }
  children(asOf: $asOf) { id code name wardKind
    caseStats(period: $period, asOf: $asOf) { toEnforce enforceable done completionRate }
    moneyStats(period: $period, asOf: $asOf) { enforceable done completionRate } }`;

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

/** A province's figures and its wards' figures. */
export const PROVINCE_FIGURES = `query ProvinceFigures($id: ID!, $period: PeriodInput!, $asOf: Date!) { unit(id: $id) { ${PROVINCE} } }`;
/** The same, live. */
export const LIVE_PROVINCE_FIGURES = `subscription LiveProvinceFigures($id: ID!, $period: PeriodInput!, $asOf: Date!) { liveUnit(id: $id) { ${PROVINCE} } }`;

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
/** A province with its wards. */
export interface Province extends UnitRef {
  type: string;
  caseStats: CaseFigures;
  moneyStats: MoneyFigures;
  children: (UnitRef & { wardKind: string | null; caseStats: CaseFigures; moneyStats: MoneyFigures })[];
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
