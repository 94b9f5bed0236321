import { figureChanges, percent, type RollupRow, type RollupSpec, type StatsScope } from '@thads/kit';
import { PETITION_BUCKETS } from '../petitions/petition.entity';
import type { ComplaintStats, PetitionFigures } from './complaint-figures.type';

/** The bucket of a petition's kind. */
const KIND_BUCKET_SQL = `CASE p.kind ${PETITION_BUCKETS.map(([k, b]) => `WHEN '${k}' THEN ${b}`).join(' ')} END`;

export const COMPLAINT_ROLLUP: RollupSpec = {
  table: 'complaints.complaint_month',
  flows: ['received', 'resolved', 'receptions', 'citizens'],
  stocks: ['pending_delta'],
  // A petition adds +1 pending when received and −1 when resolved, in bucket 0 and its
  // kind's; citizen receptions count in bucket 0 only.
  facts: `SELECT unit_id, month, bucket, sum(received) AS received, sum(resolved) AS resolved, sum(received) - sum(resolved) AS pending_delta,
        sum(receptions) AS receptions, sum(citizens) AS citizens
      FROM (
        SELECT p.unit_id, date_trunc('month', p.received_on)::date AS month, b.bucket, 1 AS received, 0 AS resolved, 0 AS receptions, 0 AS citizens
          FROM complaints.petition p CROSS JOIN LATERAL unnest(ARRAY[0, ${KIND_BUCKET_SQL}]) AS b(bucket)
        UNION ALL
        SELECT p.unit_id, date_trunc('month', p.resolved_on)::date, b.bucket, 0, 1, 0, 0
          FROM complaints.petition p CROSS JOIN LATERAL unnest(ARRAY[0, ${KIND_BUCKET_SQL}]) AS b(bucket)
          WHERE p.resolved_on IS NOT NULL
        UNION ALL
        SELECT r.unit_id, date_trunc('month', r.received_on)::date, 0, 0, 0, 1, r.citizens
          FROM complaints.citizen_reception r
      ) f
      GROUP BY unit_id, month, bucket`,
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
