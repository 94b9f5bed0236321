import { RollupMigration } from '@thads/kit';

/**
 * Rollups maintained at write time (kit rollup/): every unit's figures summed over what it
 * covers, one copy a hierarchy epoch, so a read is a lookup. Replaces the month tables' stock
 * openings, which served reads that summed the descendants at request time.
 */
export class CaseMaintainedRollups1764400000104 extends RollupMigration {
  name = 'CaseMaintainedRollups1764400000104';
  protected tables = [
    { table: 'cases.case_month', flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'separate_book'], stocks: ['open_delta', 'open_enforceable_delta'] },
    { table: 'cases.admin_month', flows: ['received', 'completed'], stocks: ['open_delta', 'open_with_decision_delta'] },
  ];
  protected override replacesOpeningsOf = ['cases.case_month', 'cases.admin_month'];
}
