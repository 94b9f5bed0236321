import type { CaseEventKind } from './case-lifecycle';

/** The flow column of cases.case_month that an event kind adds 1 to, if any. */
export const CASE_FLOW_COLUMN: Partial<Record<CaseEventKind, string>> = {
  RECEIVED: 'received',
  ENTRUSTED_OUT: 'entrusted_out',
  WITHDRAWN: 'withdrawn',
  COMPLETED: 'done',
  TERMINATED: 'done',
  SEPARATE_BOOK: 'separate_book',
};

export const CASE_MONTH_COLUMNS = ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book', 'open_delta', 'open_enforceable_delta'] as const;

/** The values one event adds to its unit's month row. */
export function caseMonthValues(kind: CaseEventKind, open: number, openEnforceable: number): Record<string, number> {
  const values: Record<string, number> = { open_delta: open, open_enforceable_delta: openEnforceable };
  const flow = CASE_FLOW_COLUMN[kind];
  if (flow) values[flow] = 1;
  return values;
}

/** SQL counting the events of each flow column (named as the column), for rebuilding the aggregates from the events. */
export function caseFlowCountsSql(alias: string): string {
  const columns = ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book'];
  return columns
    .map((col) => {
      const kinds = Object.entries(CASE_FLOW_COLUMN)
        .filter(([, c]) => c === col)
        .map(([k]) => `'${k}'`);
      return `count(*) FILTER (WHERE ${alias}.kind IN (${kinds.join(', ')})) AS ${col}`;
    })
    .join(',\n        ');
}
