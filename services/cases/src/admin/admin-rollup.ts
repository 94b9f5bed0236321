import { percent, type RollupRow, type RollupSpec } from '@thads/kit';
import type { AdminMonitoring } from './admin-monitoring.type';

export const ADMIN_ROLLUP: RollupSpec = {
  table: 'cases.admin_month',
  flows: ['received', 'completed'],
  stocks: ['open_delta', 'open_with_decision_delta'],
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
