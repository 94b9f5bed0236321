import type { Column } from '@thads/kit';

/** Columns of cases.enforcement_case, in the order the writers send them. */
export const CASE_COLUMNS: Column[] = [
  { name: 'id', type: 'bigint' },
  { name: 'unit_id', type: 'int' },
  { name: 'judgment_ref', type: 'text' },
  { name: 'received_on', type: 'date' },
  { name: 'categories', type: 'smallint' },
  { name: 'status', type: 'text' },
  { name: 'enforceable', type: 'boolean' },
  { name: 'status_on', type: 'date' },
];

/** Columns of cases.case_event, in the order the writers send them. */
export const EVENT_COLUMNS: Column[] = [
  { name: 'case_id', type: 'bigint' },
  { name: 'unit_id', type: 'int' },
  { name: 'kind', type: 'text' },
  { name: 'occurred_on', type: 'date' },
  { name: 'd_open', type: 'smallint' },
  { name: 'd_open_enforceable', type: 'smallint' },
];
