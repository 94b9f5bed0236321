import type { CaseEventKind } from './case-lifecycle';

/** The flow columns of cases.case_month that an event kind adds 1 to: a termination is done, and counted as a termination too. */
export const CASE_FLOW_COLUMNS: Partial<Record<CaseEventKind, readonly string[]>> = {
  RECEIVED: ['received'],
  ENTRUSTED_OUT: ['entrusted_out'],
  WITHDRAWN: ['withdrawn'],
  COMPLETED: ['done'],
  TERMINATED: ['done', 'terminated'],
  SEPARATE_BOOK: ['separate_book'],
};

/** The flows of cases.case_month, in the rollup's order. */
export const CASE_FLOWS = ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book', 'terminated'] as const;

export const CASE_MONTH_COLUMNS = [...CASE_FLOWS, 'open_delta', 'open_enforceable_delta'] as const;

/** The values one event adds to its unit's month row. */
export function caseMonthValues(kind: CaseEventKind, open: number, openEnforceable: number): Record<string, number> {
  const values: Record<string, number> = { open_delta: open, open_enforceable_delta: openEnforceable };
  for (const flow of CASE_FLOW_COLUMNS[kind] ?? []) values[flow] = 1;
  return values;
}

/** SQL counting the events of each flow column (named as the column), for rebuilding the aggregates from the events. */
export function caseFlowCountsSql(alias: string): string {
  return CASE_FLOWS.map((col) => {
    const kinds = Object.entries(CASE_FLOW_COLUMNS)
      .filter(([, c]) => c?.includes(col))
      .map(([k]) => `'${k}'`);
    return `count(*) FILTER (WHERE ${alias}.kind IN (${kinds.join(', ')})) AS ${col}`;
  }).join(',\n        ');
}
