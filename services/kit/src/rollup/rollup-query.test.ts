import { buildRollupSql, emptyRow } from './rollup-query';

describe('buildRollupSql', () => {
  const spec = { table: 'cases.case_month', flows: ['received'], stocks: ['open_delta'] };

  it('reads flows within the period and stocks at its start and end, from the rollup rows of the epoch that holds asOf and of every epoch', () => {
    const sql = buildRollupSql(spec);
    expect(sql).toContain('FILTER (WHERE a.month >= $2::date)');
    expect(sql).toContain('AS "open_deltaAtStart"');
    expect(sql).toContain('AS "open_deltaAtEnd"');
    expect(sql).toContain('FROM cases.case_month_rollup r');
    expect(sql).toContain(
      "r.epoch = ANY (ARRAY(SELECT k FROM org_units.rollup_epoch, LATERAL (VALUES (valid_from), ('-infinity'::date)) AS keys(k) WHERE valid_from <= $4::date AND valid_to > $4::date))",
    );
    expect(sql).toContain('r.unit_id = ANY($1::int[])');
    expect(sql).not.toContain('rollup_edge');
    expect(sql).toContain('GROUP BY a.unit_id, a.bucket');
  });

  it('with openings, starts the stocks from quarter $6 and falls back to the months before it when $6 is not built (figures compared in maintained-rollup.int.test.ts)', () => {
    const sql = buildRollupSql(spec, { openings: true });
    expect(sql).toContain('EXISTS (SELECT 1 FROM cases.case_month_rollup_opening_built WHERE month = $6::date)');
    expect(sql).toContain('r.month >= $6::date AND r.month <= $3::date');
    expect(sql).toContain('FROM cases.case_month_rollup_opening o');
    expect(sql).toContain('r.month < $6::date AND NOT (SELECT yes FROM built)');
    expect(buildRollupSql({ ...spec, stocks: [] }, { openings: true })).not.toContain('_opening');
  });

  it('refuses identifiers that are not plain names', () => {
    expect(() => buildRollupSql({ ...spec, flows: ['x; DROP TABLE y'] })).toThrow(/safe SQL identifier/);
  });

  it('makes zero rows with every column', () => {
    expect(emptyRow(spec)).toEqual({ received: 0n, open_deltaAtStart: 0n, open_deltaAtEnd: 0n });
  });
});
