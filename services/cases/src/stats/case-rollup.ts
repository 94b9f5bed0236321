import { CATEGORY_BUCKETS, percent, type RollupRow, type RollupSpec, type StatsScope } from '@thads/kit';
import type { CaseFigures, CaseStats } from './case-figures.type';

export const CASE_ROLLUP: RollupSpec = {
  table: 'cases.case_month',
  flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book'],
  stocks: ['open_delta', 'open_enforceable_delta'],
};

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

export function caseStats(rows: Map<number, RollupRow>, scope: StatsScope): CaseStats {
  return {
    ...caseFigures(rows.get(0)!),
    periodStart: scope.period.start,
    periodEnd: scope.period.end,
    asOf: scope.asOf,
    byCategory: CATEGORY_BUCKETS.map(([category, bucket]) => ({ category, ...caseFigures(rows.get(bucket)!) })),
  };
}
