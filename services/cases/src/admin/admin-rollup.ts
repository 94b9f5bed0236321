import { percent, type RollupRow, type RollupSpec } from '@thads/kit';
import type { AdminMonitoring } from './admin-monitoring.type';

export const ADMIN_ROLLUP: RollupSpec = {
  table: 'cases.admin_month',
  flows: ['received', 'completed'],
  stocks: ['open_delta', 'open_with_decision_delta'],
  // A judgment counts as received and open from its receipt, under a decision from the
  // decision's date, and leaves both when completed.
  facts: `SELECT unit_id, month, 0 AS bucket, sum(received) AS received, sum(completed) AS completed,
        sum(opened) AS open_delta, sum(decided) AS open_with_decision_delta
      FROM (
        SELECT unit_id, date_trunc('month', received_on)::date AS month, 1 AS received, 0 AS completed, 1 AS opened, 0 AS decided FROM cases.admin_judgment
        UNION ALL
        SELECT unit_id, date_trunc('month', decision_on)::date, 0, 0, 0, 1 FROM cases.admin_judgment WHERE decision_on IS NOT NULL
        UNION ALL
        SELECT unit_id, date_trunc('month', completed_on)::date, 0, 1, -1, CASE WHEN decision_on IS NULL THEN 0 ELSE -1 END FROM cases.admin_judgment WHERE completed_on IS NOT NULL
      ) f
      GROUP BY unit_id, month`,
};

export function adminMonitoring(row: RollupRow): AdminMonitoring {
  const carriedOver = Number(row.open_deltaAtStart);
  const newlyReceived = Number(row.received);
  const completed = Number(row.completed);
  const unfinished = Number(row.open_deltaAtEnd);
  const withDecision = Number(row.open_with_decision_deltaAtEnd);
  return {
    carriedOver,
    newlyReceived,
    total: carriedOver + newlyReceived,
    completed,
    unfinished,
    unfinishedWithDecision: withDecision,
    unfinishedWithoutDecision: unfinished - withDecision,
    completionRate: percent(completed, carriedOver + newlyReceived),
  };
}
