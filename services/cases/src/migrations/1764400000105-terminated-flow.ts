import { AddRollupFlowMigration, categoryBucketsSql } from '@thads/kit';

/**
 * Cases done by termination (đình chỉ) counted on their own, beside "done" which includes
 * them: form 1 splits what is done by kind. The month rows get it from the events, the
 * maintained rollup from the month rows.
 */
export class CaseTerminatedFlow1764400000105 extends AddRollupFlowMigration {
  name = 'CaseTerminatedFlow1764400000105';
  protected spec = {
    table: 'cases.case_month',
    flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book', 'terminated'],
    stocks: ['open_delta', 'open_enforceable_delta'],
  };
  protected column = 'terminated';
  protected monthType = 'integer' as const;
  protected fill = `UPDATE cases.case_month m SET terminated = t.n
    FROM (SELECT e.unit_id, date_trunc('month', e.occurred_on)::date AS month, b.bucket, count(*) AS n
          FROM cases.case_event e
          JOIN cases.enforcement_case c ON c.id = e.case_id
          CROSS JOIN LATERAL unnest(${categoryBucketsSql('c.categories')}) AS b(bucket)
          WHERE e.kind = 'TERMINATED'
          GROUP BY 1, 2, 3) t
    WHERE m.unit_id = t.unit_id AND m.month = t.month AND m.bucket = t.bucket`;
}
