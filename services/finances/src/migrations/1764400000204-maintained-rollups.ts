import { RollupMigration } from '@thads/kit';

/**
 * Rollups maintained at write time (kit rollup/): every unit's money figures summed over what
 * it covers, one copy a hierarchy epoch, so a read is a lookup. Replaces the month table's
 * stock openings.
 */
export class MoneyMaintainedRollups1764400000204 extends RollupMigration {
  name = 'MoneyMaintainedRollups1764400000204';
  protected tables = [
    {
      table: 'finances.money_month',
      flows: ['received', 'entrusted_out', 'withdrawn', 'done', 'collected', 'separate_book'],
      stocks: ['open_delta', 'open_enforceable_delta'],
    },
  ];
  protected override replacesOpeningsOf = ['finances.money_month'];
}
