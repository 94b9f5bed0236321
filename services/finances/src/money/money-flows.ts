import type { MoneyEventKind } from './money-lifecycle';

/** The flow columns of finances.money_month that an event's flow amount goes to. */
export const MONEY_FLOW_COLUMNS: Record<MoneyEventKind, string[]> = {
  RECEIVED: ['received'],
  CLASSIFIED_ENFORCEABLE: [],
  CLASSIFIED_NOT_ENFORCEABLE: [],
  COLLECTED: ['done', 'collected'],
  COMPLETED: ['done'],
  TERMINATED: ['done'],
  ENTRUSTED_OUT: ['entrusted_out'],
  WITHDRAWN: ['withdrawn'],
  SEPARATE_BOOK: ['separate_book'],
};

export const MONEY_MONTH_COLUMNS = [
  'received',
  'entrusted_out',
  'withdrawn',
  'done',
  'collected',
  'separate_book',
  'open_delta',
  'open_enforceable_delta',
] as const;

export function moneyMonthValues(kind: MoneyEventKind, flow: bigint, open: bigint, openEnforceable: bigint): Record<string, bigint> {
  const values: Record<string, bigint> = { open_delta: open, open_enforceable_delta: openEnforceable };
  for (const column of MONEY_FLOW_COLUMNS[kind]) values[column] = flow;
  return values;
}

/** SQL summing the flow of each column's kinds, for rebuilding the aggregates from the events. */
export function moneyFlowSumsSql(alias: string): string {
  return ['received', 'entrusted_out', 'withdrawn', 'done', 'collected', 'separate_book']
    .map((col) => {
      const kinds = Object.entries(MONEY_FLOW_COLUMNS)
        .filter(([, cols]) => cols.includes(col))
        .map(([k]) => `'${k}'`);
      return `coalesce(sum(${alias}.flow) FILTER (WHERE ${alias}.kind IN (${kinds.join(', ')})), 0) AS ${col}`;
    })
    .join(', ');
}
