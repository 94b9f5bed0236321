import type { Column } from '@thads/kit';

/** Columns of finances.case_money, in the order the writers send them. */
export const MONEY_COLUMNS: Column[] = [
  { name: 'case_id', type: 'bigint' },
  { name: 'unit_id', type: 'int' },
  { name: 'categories', type: 'smallint' },
  { name: 'amount', type: 'bigint' },
  { name: 'remaining', type: 'bigint' },
  { name: 'open', type: 'boolean' },
  { name: 'enforceable', type: 'boolean' },
  { name: 'received_on', type: 'date' },
];

/** Columns of finances.money_event, in the order the writers send them. */
export const MONEY_EVENT_COLUMNS: Column[] = [
  { name: 'case_id', type: 'bigint' },
  { name: 'unit_id', type: 'int' },
  { name: 'kind', type: 'text' },
  { name: 'occurred_on', type: 'date' },
  { name: 'flow', type: 'bigint' },
  { name: 'd_open', type: 'bigint' },
  { name: 'd_open_enforceable', type: 'bigint' },
];
