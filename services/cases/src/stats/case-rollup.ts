import { CATEGORY_BUCKETS, categoryBucketsSql, figureChanges, percent, type RollupRow, type RollupSpec, type StatsScope } from '@thads/kit';
import { caseFlowCountsSql } from '../cases/case-flows';
import { ADMIN_ROLLUP } from '../admin/admin-rollup';
import type { CaseFigures, CaseStats } from './case-figures.type';

export const CASE_ROLLUP: RollupSpec = {
  table: 'cases.case_month',
  flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book'],
  stocks: ['open_delta', 'open_enforceable_delta'],
  // Every event with the deltas it added, in each bucket of its case's categories.
  facts: `SELECT e.unit_id, date_trunc('month', e.occurred_on)::date AS month, b.bucket,
        ${caseFlowCountsSql('e')},
        sum(e.d_open) AS open_delta, sum(e.d_open_enforceable) AS open_enforceable_delta
      FROM cases.case_event e
      JOIN cases.enforcement_case c ON c.id = e.case_id
      CROSS JOIN LATERAL unnest(${categoryBucketsSql('c.categories')}) AS b(bucket)
      GROUP BY 1, 2, 3`,
};

/** The service's rollups: case figures and administrative-judgment monitoring. */
export const CASE_ROLLUPS: readonly RollupSpec[] = [CASE_ROLLUP, ADMIN_ROLLUP];

export const CASE_BUCKETS = [0, ...CATEGORY_BUCKETS.map(([, b]) => b)];

/** The indicators of DOMAIN.md from one rollup row: every figure is a sum of deltas. */
export function caseFigures(row: RollupRow): CaseFigures {
  const n = (v: bigint | undefined) => Number(v ?? 0n);
  const carriedOver = n(row.open_deltaAtStart);
  const newlyReceived = n(row.received);
  const totalHandled = carriedOver + newlyReceived;
  const entrustedOut = n(row.entrusted_out);
  const withdrawn = n(row.withdrawn);
  const separateBook = n(row.separate_book);
  const toEnforce = totalHandled - entrustedOut - withdrawn - separateBook;
  const done = n(row.done);
  const enforceable = done + n(row.open_enforceable_deltaAtEnd);
  return {
    carriedOver,
    newlyReceived,
    totalHandled,
    entrustedOut,
    withdrawn,
    separateBook,
    toEnforce,
    enforceable,
    notEnforceable: toEnforce - enforceable,
    done,
    carriedToNext: toEnforce - done,
    completionRate: percent(done, enforceable),
    enforceableShare: percent(enforceable, toEnforce),
  };
}

/** The report of a unit without its target, which the resolver compares from the rate. */
export function caseStats(rows: Map<number, RollupRow>, previous: Map<number, RollupRow>, scope: StatsScope): Omit<CaseStats, 'target'> {
  const current = caseFigures(rows.get(0)!);
  const previousYear = caseFigures(previous.get(0)!);
  return {
    ...current,
    periodStart: scope.period.start,
    periodEnd: scope.period.end,
    asOf: scope.asOf,
    // Read only when selected (the totals-only loader has bucket 0 alone).
    byCategory: CATEGORY_BUCKETS.filter(([, bucket]) => rows.has(bucket)).map(([category, bucket]) => ({ category, ...caseFigures(rows.get(bucket)!) })),
    previousYear,
    change: figureChanges(current, previousYear),
  };
}
