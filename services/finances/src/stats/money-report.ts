import { registerEnumType } from 'type-graphql';
import {
  CATEGORY_BUCKETS,
  CaseCategoryName,
  VndScalar,
  categoryBucketsSql,
  defineReport,
  enforcementFigures,
  enforcementFormColumns,
  type RollupRow,
  type RollupSpec,
} from '@thads/kit';
import { moneyFlowSumsSql } from '../money/money-flows';
import { MoneyFigures } from './money-figures.type';

export const MONEY_ROLLUP: RollupSpec = {
  table: 'finances.money_month',
  flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'collected', 'separate_book'],
  stocks: ['open_delta', 'open_enforceable_delta'],
  // Sums of VND: no event count may overflow them (migration 205 made the columns numeric).
  valueType: 'numeric',
  // Every money event with the amounts it added, in each bucket of its case's categories.
  facts: `SELECT e.unit_id, date_trunc('month', e.occurred_on)::date AS month, b.bucket,
        ${moneyFlowSumsSql('e')},
        sum(e.d_open) AS open_delta, sum(e.d_open_enforceable) AS open_enforceable_delta
      FROM finances.money_event e
      JOIN finances.case_money m ON m.case_id = e.case_id
      CROSS JOIN LATERAL unnest(${categoryBucketsSql('m.categories')}) AS b(bucket)
      GROUP BY 1, 2, 3`,
};

/** The state-budget revenue bucket (categories' bucket 1). */
const STATE_BUDGET = 1;

/** The indicators of the circular's report on results by money, in exact VND, from one rollup row. */
export function moneyFigures(row: RollupRow): MoneyFigures {
  return { ...enforcementFigures(row), collected: row.collected ?? 0n };
}

export enum MoneyRankingMetric {
  COMPLETION_RATE = 'COMPLETION_RATE',
  DONE = 'DONE',
  STATE_BUDGET_COLLECTED = 'STATE_BUDGET_COLLECTED',
}

registerEnumType(MoneyRankingMetric, {
  name: 'MoneyRankingMetric',
  description: 'What units are ranked by, higher first.',
  valuesConfig: {
    COMPLETION_RATE: { description: 'The money completion rate (money done ÷ money enforceable): the "rank in money" of the ministry’s reports.' },
    DONE: { description: 'Money done, VND.' },
    STATE_BUDGET_COLLECTED: { description: 'State-budget revenue collected, VND.' },
  },
});

/** Results by money: moneyStats, moneyRanking and moneyRank. */
export const MONEY_REPORT = defineReport<MoneyFigures, MoneyRankingMetric>({
  name: 'money',
  family: 'money',
  rollup: MONEY_ROLLUP,
  Figures: MoneyFigures,
  figuresType: 'MoneyFigures',
  figures: moneyFigures,
  stats: {
    type: 'MoneyStats',
    description: 'Money indicators of a unit for a period, with the breakdown by category.',
    field: 'Money indicators (VND) of this unit and everything under it for a period, on the hierarchy valid at `asOf`; old units count through their lineage.',
    previousYear: 'The same period of the previous year, rolled up on the same hierarchy (`asOf`).',
    change: 'This period minus the same period of the previous year, figure by figure; rates in percentage points.',
  },
  extras: [
    {
      name: 'stateBudgetCollected',
      type: () => VndScalar,
      description: 'State-budget revenue collected in the period (thu cho ngân sách nhà nước).',
      needsBreakdown: true,
      value: (rows) => rows.get(STATE_BUDGET)?.collected ?? 0n,
    },
  ],
  breakdown: {
    field: 'byCategory',
    description: 'The same indicators for state-budget revenue, credit-institution debts and corruption/economic crime cases.',
    type: 'CategoryMoneyFigures',
    typeDescription: 'Money indicators of the cases in one category.',
    key: 'category',
    keyType: CaseCategoryName,
    keyDescription: 'The category.',
    buckets: CATEGORY_BUCKETS,
  },
  target: {
    description: 'The money completion rate against the unit’s own target and the national target for the statistical year the period ends in.',
    rate: (f) => f.completionRate,
    of: (t) => t.moneyRate,
  },
  form: {
    number: 2,
    field: 'moneyReportForm',
    description:
      'Form 2 of the statistics circular, results of civil judgment enforcement by money (VND), for a unit and a period: the total row, the unit’s own row and one row a unit directly under it, with the form’s columns. Downloadable as CSV or XLSX from the gateway’s /export/form.',
    title: 'Kết quả thi hành án dân sự tính bằng tiền',
    titleEn: 'Results of civil judgment enforcement by money',
    readsBuckets: true,
    columns: enforcementFormColumns<MoneyFigures>('VND', [
      { key: 'collected', label: 'Trong đó: thu được', labelEn: 'Of which collected', kind: 'VND', value: (f) => f.collected },
      {
        key: 'stateBudgetCollected',
        label: 'Thu cho ngân sách nhà nước',
        labelEn: 'Collected for the state budget',
        kind: 'VND',
        value: (_f, rows) => rows.get(STATE_BUDGET)?.collected ?? 0n,
      },
    ]),
  },
  ranking: {
    metric: {
      enum: MoneyRankingMetric,
      default: MoneyRankingMetric.COMPLETION_RATE,
      value(metric, f, rows) {
        switch (metric) {
          case MoneyRankingMetric.COMPLETION_RATE:
            return f.completionRate;
          case MoneyRankingMetric.DONE:
            return f.done;
          case MoneyRankingMetric.STATE_BUDGET_COLLECTED:
            return rows.get(STATE_BUDGET)!.collected!;
        }
      },
    },
    buckets: [0, STATE_BUDGET],
    query: 'The units of a level (provinces by default) ranked by a money metric for a period.',
    rank: 'This unit’s position among the units of its level by a money metric; null for the ministry or a unit not valid at `asOf`.',
    row: {
      type: 'MoneyRankingRow',
      description: 'One unit’s row in a money ranking.',
      rank: 'Position, 1 for the best; equal values share a rank (1, 2, 2, 4). Units with no value come last.',
      value: 'The metric’s value: a percentage with 2 decimals or an amount in VND; null when undefined.',
      figures: 'The unit’s money indicators for the period.',
    },
  },
});
