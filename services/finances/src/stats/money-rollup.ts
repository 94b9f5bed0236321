import { CATEGORY_BUCKETS, categoryBucketsSql, figureChanges, percent, type RollupRow, type RollupSpec, type StatsScope } from '@thads/kit';
import { moneyFlowSumsSql } from '../money/money-flows';
import type { MoneyFigures, MoneyStats } from './money-figures.type';

export const MONEY_ROLLUP: RollupSpec = {
  table: 'finances.money_month',
  flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'collected', 'separate_book'],
  stocks: ['open_delta', 'open_enforceable_delta'],
  // Every money event with the amounts it added, in each bucket of its case's categories.
  facts: `SELECT e.unit_id, date_trunc('month', e.occurred_on)::date AS month, b.bucket,
        ${moneyFlowSumsSql('e')},
        sum(e.d_open) AS open_delta, sum(e.d_open_enforceable) AS open_enforceable_delta
      FROM finances.money_event e
      JOIN finances.case_money m ON m.case_id = e.case_id
      CROSS JOIN LATERAL unnest(${categoryBucketsSql('m.categories')}) AS b(bucket)
      GROUP BY 1, 2, 3`,
};

export const MONEY_BUCKETS = [0, ...CATEGORY_BUCKETS.map(([, b]) => b)];

export function moneyFigures(row: RollupRow): MoneyFigures {
  const carriedOver = row.open_deltaAtStart!;
  const newlyReceived = row.received!;
  const totalHandled = carriedOver + newlyReceived;
  const toEnforce = totalHandled - row.entrusted_out! - row.withdrawn! - row.separate_book!;
  const done = row.done!;
  const enforceable = done + row.open_enforceable_deltaAtEnd!;
  return {
    carriedOver,
    newlyReceived,
    totalHandled,
    entrustedOut: row.entrusted_out!,
    withdrawn: row.withdrawn!,
    separateBook: row.separate_book!,
    toEnforce,
    enforceable,
    notEnforceable: toEnforce - enforceable,
    done,
    collected: row.collected!,
    carriedToNext: toEnforce - done,
    completionRate: percent(done, enforceable),
    enforceableShare: percent(enforceable, toEnforce),
  };
}

/** The report of a unit without its target, which the resolver compares from the rate. */
export function moneyStats(rows: Map<number, RollupRow>, previous: Map<number, RollupRow>, scope: StatsScope): Omit<MoneyStats, 'target'> {
  const current = moneyFigures(rows.get(0)!);
  const previousYear = moneyFigures(previous.get(0)!);
  return {
    ...current,
    previousYear,
    change: figureChanges(current, previousYear),
    periodStart: scope.period.start,
    periodEnd: scope.period.end,
    asOf: scope.asOf,
    // Read only when selected (the totals-only loader has bucket 0 alone).
    stateBudgetCollected: rows.get(1)?.collected ?? 0n,
    byCategory: CATEGORY_BUCKETS.filter(([, bucket]) => rows.has(bucket)).map(([category, bucket]) => ({ category, ...moneyFigures(rows.get(bucket)!) })),
  };
}
