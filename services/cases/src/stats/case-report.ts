import { registerEnumType } from 'type-graphql';
import {
  CATEGORY_BUCKETS,
  CaseCategoryName,
  categoryBucketsSql,
  defineReport,
  enforcementFigures,
  enforcementFormColumns,
  type RollupRow,
  type RollupSpec,
} from '@thads/kit';
import { ADMIN_ROLLUP } from '../admin/admin-rollup';
import { CASE_FLOWS, caseFlowCountsSql } from '../cases/case-flows';
import { CaseFigures } from './case-figures.type';

export const CASE_ROLLUP: RollupSpec = {
  table: 'cases.case_month',
  flows: [...CASE_FLOWS],
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

/** The indicators of the circular's report on results by case, from one rollup row (counts fit a number). */
export function caseFigures(row: RollupRow): CaseFigures {
  const f = enforcementFigures(row);
  return {
    carriedOver: Number(f.carriedOver),
    newlyReceived: Number(f.newlyReceived),
    totalHandled: Number(f.totalHandled),
    entrustedOut: Number(f.entrustedOut),
    withdrawn: Number(f.withdrawn),
    separateBook: Number(f.separateBook),
    toEnforce: Number(f.toEnforce),
    enforceable: Number(f.enforceable),
    notEnforceable: Number(f.notEnforceable),
    done: Number(f.done),
    completed: Number(f.done - (row.terminated ?? 0n)),
    terminated: Number(row.terminated ?? 0n),
    carriedToNext: Number(f.carriedToNext),
    completionRate: f.completionRate,
    enforceableShare: f.enforceableShare,
  };
}

export enum CaseRankingMetric {
  COMPLETION_RATE = 'COMPLETION_RATE',
  DONE = 'DONE',
  ENFORCEABLE_SHARE = 'ENFORCEABLE_SHARE',
}

registerEnumType(CaseRankingMetric, {
  name: 'CaseRankingMetric',
  description: 'What units are ranked by, higher first.',
  valuesConfig: {
    COMPLETION_RATE: { description: 'The case completion rate (done ÷ enforceable): the "rank in cases" of the ministry’s reports.' },
    DONE: { description: 'The number of cases done.' },
    ENFORCEABLE_SHARE: { description: 'The share of cases to enforce that are enforceable.' },
  },
});

/** Results by case: caseStats, caseRanking and caseRank. */
export const CASE_REPORT = defineReport<CaseFigures, CaseRankingMetric>({
  name: 'case',
  family: 'cases',
  rollup: CASE_ROLLUP,
  Figures: CaseFigures,
  figuresType: 'CaseFigures',
  figures: caseFigures,
  stats: {
    type: 'CaseStats',
    description: 'Case indicators of a unit for a period, with the breakdown by category.',
    field: 'Case indicators of this unit and everything under it for a period, on the hierarchy valid at `asOf`; old units count through their lineage.',
    previousYear:
      'The same period of the previous year, rolled up on the same hierarchy (`asOf`), so that merged units compare with the sums of their predecessors.',
    change: 'This period minus the same period of the previous year, figure by figure; rates in percentage points.',
  },
  breakdown: {
    field: 'byCategory',
    description: 'The same indicators for state-budget revenue, credit-institution debts and corruption/economic crime cases.',
    type: 'CategoryCaseFigures',
    typeDescription: 'Case indicators of the cases in one category.',
    key: 'category',
    keyType: CaseCategoryName,
    keyDescription: 'The category.',
    buckets: CATEGORY_BUCKETS,
  },
  target: {
    description: 'The completion rate against the unit’s own target and the national target for the statistical year the period ends in.',
    rate: (f) => f.completionRate,
    of: (t) => t.caseRate,
  },
  form: {
    number: 1,
    field: 'caseReportForm',
    description:
      'Form 1 of the statistics circular, results of civil judgment enforcement by case, for a unit and a period: the total row, the unit’s own row and one row a unit directly under it, with the form’s columns. Downloadable as CSV or XLSX from the gateway’s /export/form.',
    title: 'Kết quả thi hành án dân sự tính bằng việc',
    titleEn: 'Results of civil judgment enforcement by case',
    columns: enforcementFormColumns<CaseFigures>('COUNT', [
      { key: 'completed', label: 'Trong đó: thi hành xong toàn bộ', labelEn: 'Of which fully executed', kind: 'COUNT', value: (f) => f.completed },
      { key: 'terminated', label: 'Trong đó: đình chỉ thi hành án', labelEn: 'Of which terminated', kind: 'COUNT', value: (f) => f.terminated },
    ]),
  },
  ranking: {
    metric: {
      enum: CaseRankingMetric,
      default: CaseRankingMetric.COMPLETION_RATE,
      value(metric, f) {
        switch (metric) {
          case CaseRankingMetric.COMPLETION_RATE:
            return f.completionRate;
          case CaseRankingMetric.DONE:
            return f.done;
          case CaseRankingMetric.ENFORCEABLE_SHARE:
            return f.enforceableShare;
        }
      },
    },
    query: 'The units of a level (provinces by default) ranked by a case metric for a period, one grouped query over pre-aggregated figures.',
    rank: 'This unit’s position among the units of its level by a case metric; null for the ministry or a unit not valid at `asOf`.',
    row: {
      type: 'CaseRankingRow',
      description: 'One unit’s row in a case ranking.',
      rank: 'Position, 1 for the best; equal values share a rank (1, 2, 2, 4). Units with no value (nothing enforceable) come last.',
      value: 'The metric’s value: a percentage with 2 decimals or a count; null when undefined.',
      figures: 'The unit’s case indicators for the period.',
    },
  },
});
