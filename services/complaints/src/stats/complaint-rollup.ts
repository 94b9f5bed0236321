import { figureChanges, percent, type RollupRow, type RollupSpec, type StatsScope } from '@thads/kit';
import { PETITION_BUCKETS } from '../petitions/petition.entity';
import type { ComplaintStats, PetitionFigures } from './complaint-figures.type';

export const COMPLAINT_ROLLUP: RollupSpec = {
  table: 'complaints.complaint_month',
  flows: ['received', 'resolved', 'receptions', 'citizens'],
  stocks: ['pending_delta'],
};

export const COMPLAINT_BUCKETS = [0, ...PETITION_BUCKETS.map(([, b]) => b)];

export function petitionFigures(row: RollupRow): PetitionFigures {
  const carriedOver = Number(row.pending_deltaAtStart);
  const newlyReceived = Number(row.received);
  const resolved = Number(row.resolved);
  const toResolve = carriedOver + newlyReceived;
  return { carriedOver, newlyReceived, toResolve, resolved, pending: toResolve - resolved, resolutionRate: percent(resolved, toResolve) };
}

export function complaintStats(rows: Map<number, RollupRow>, previous: Map<number, RollupRow>, scope: StatsScope): ComplaintStats {
  const all = rows.get(0)!;
  const current = petitionFigures(all);
  const previousYear = petitionFigures(previous.get(0)!);
  return {
    ...current,
    previousYear,
    change: figureChanges(current, previousYear),
    periodStart: scope.period.start,
    periodEnd: scope.period.end,
    asOf: scope.asOf,
    receptions: Number(all.receptions),
    citizensReceived: Number(all.citizens),
    // Read only when selected (the totals-only loader has bucket 0 alone).
    byKind: PETITION_BUCKETS.filter(([, bucket]) => rows.has(bucket)).map(([kind, bucket]) => ({ kind, ...petitionFigures(rows.get(bucket)!) })),
  };
}
